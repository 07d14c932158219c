import type { FailureReason } from './probe-record.js';

const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps a client error (undici, ws, node:net) to why the request failed. Walks `cause` because
 * undici wraps socket errors.
 */
export function classifyError(error: unknown): { reason: FailureReason; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current);
    const name = current instanceof Error ? current.name : '';
    if (code !== undefined && REFUSED.has(code)) return { reason: 'refused', message: code };
    if (code !== undefined && RESET.has(code)) return { reason: 'reset', message: `${code}: ${messageOf(current)}` };
    if ((code !== undefined && TIMEOUT.has(code)) || name === 'TimeoutError') return { reason: 'timeout', message: code ?? name };
    current = (current as { cause?: unknown }).cause;
  }
  return { reason: 'error', message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { BatonError } from '../errors.js';

/**
 * Every failure from the Kubernetes API becomes one of these, so nothing else in baton guesses at
 * status codes. `status` 0 means the server could not be reached at all.
 */
export class KubeApiError extends BatonError {
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(status === 0 ? 'KUBE_UNREACHABLE' : 'KUBE_API', message, options);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }

  get notFound(): boolean {
    return this.status === 404;
  }
  get conflict(): boolean {
    return this.status === 409;
  }
}

interface StatusBody {
  reason?: string;
  message?: string;
}

/** Turns whatever the client library threw into a KubeApiError with a useful message and hint. */
export function toKubeApiError(error: unknown, what: string): KubeApiError {
  if (error instanceof KubeApiError) return error;
  const e = error as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof e?.code === 'number') {
    const body = parseBody(e.body);
    const reason = body.reason ?? 'Unknown';
    const message = `${what}: ${body.message ?? reason} (HTTP ${e.code})`;
    return new KubeApiError(e.code, reason, message, { cause: error, hint: hintFor(e.code) });
  }
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return new KubeApiError(0, code ?? 'Unreachable', `${what}: cannot reach the Kubernetes API (${e?.message ?? String(error)})`, {
    cause: error,
    hint: 'check KUBECONFIG / --kubeconfig and that the cluster is running (`kubectl version`)',
  });
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return {};
}

function hintFor(status: number): string | undefined {
  if (status === 401) return 'your credentials were refused: check the token or certificate in your kubeconfig';
  if (status === 403) return 'your user lacks permission for this; ask for a Role that allows it (see docs/permissions.md)';
  if (status === 409) return 'someone else changed the object meanwhile; run again';
  if (status === 422) return 'the object is invalid; the message names the field';
  return undefined;
}

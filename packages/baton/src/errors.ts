/**
 * The one base class for unexpected failures in baton. Expected outcomes (a gate that fails, a
 * step that needs a human) are values, not exceptions; see engine/step.ts.
 */
export class BatonError extends Error {
  /** Stable, machine-readable code, e.g. `SPEC_INVALID`, `KUBE_UNREACHABLE`. */
  readonly code: string;
  /** What the user can do about it, one sentence. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatonError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** True for errors raised deliberately by baton (as opposed to bugs). */
export function isBatonError(error: unknown): error is BatonError {
  return error instanceof BatonError;
}

import { useEffect, useRef } from 'preact/hooks';
import type { ActionView } from '../../src/dashboard/dashboard-backend.js';

const verbs: Record<ActionView['kind'], string> = { promote: 'Promote', abort: 'Abort', retry: 'Retry', rollback: 'Roll back' };

/** The confirmation before any action: what will happen, and the point of no return first. */
export function ConfirmDialog({
  action,
  subject,
  onConfirm,
  onCancel,
}: {
  action: ActionView;
  subject: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onCancel();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  const danger = action.kind === 'abort' || action.kind === 'rollback' || action.pointOfNoReturn !== undefined;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click beside the dialog cancels it; keyboards have Escape (above) and the Cancel button
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled on the window, for the whole dialog
    <div
      class="modal-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">
          {verbs[action.kind]} {subject}?
        </h2>
        {action.pointOfNoReturn && (
          <p class="ponr" data-testid="ponr">
            <strong>Point of no return.</strong> {action.pointOfNoReturn}
          </p>
        )}
        <p class="consequence" data-testid="consequence">
          {action.consequence}
        </p>
        <div class="modal-actions">
          <button type="button" ref={cancel} class="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class={`btn ${danger ? 'danger' : 'primary'}`} data-testid="confirm" onClick={onConfirm}>
            {verbs[action.kind]}
          </button>
        </div>
      </div>
    </div>
  );
}

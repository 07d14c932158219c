import { useEffect, useState } from 'preact/hooks';
import type { ActionView } from '../../src/dashboard/dashboard-backend.js';
import { act, type ApiError } from './api.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** A pending confirmation, then the POST; the outcome arrives later through the event stream. */
export function useAction(token: string | null) {
  const [asking, setAsking] = useState<{ action: ActionView; subject: string; path: string; body: Record<string, unknown> } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The acceptance is news for a moment; what follows shows on the page itself.
  useEffect(() => {
    if (!notice) return undefined;
    const t = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);
  const ask = (action: ActionView, subject: string, path: string, body: Record<string, unknown> = {}): void => {
    setError(null);
    setNotice(null);
    setAsking({ action, subject, path, body });
  };
  const dialog = asking && (
    <ConfirmDialog
      action={asking.action}
      subject={asking.subject}
      onCancel={() => setAsking(null)}
      onConfirm={() => {
        const { path, body } = asking;
        setAsking(null);
        void act(token, path, body).then((r) => {
          if (r.ok) setNotice(r.value.message);
          else setError(r.error);
        });
      }}
    />
  );
  const messages = (
    <>
      {error && (
        <div class="banner bad" role="alert" data-testid="action-error">
          <strong>Refused:</strong> {error.message}
          {error.hint ? <span class="hint"> — {error.hint}</span> : null}
          <span class="note">Nothing was changed.</span>
        </div>
      )}
      {notice && (
        <div class="banner info" data-testid="action-notice">
          {notice}
        </div>
      )}
    </>
  );
  return { ask, dialog, messages };
}

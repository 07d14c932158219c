import type { StepView } from '../../src/dashboard/run-view.js';
import { seconds } from './format.js';

// Glyphs every common sans font has (DejaVu, Segoe, SF): no icon font to load.
const icons: Record<StepView['status'], string> = {
  pending: '○',
  running: '●',
  done: '✓',
  failed: '✗',
  paused: '‖',
  skipped: '–',
  undone: '↶',
  undoing: '↺',
};

/** The plan as a vertical list: the current step stands out, the point of no return is marked. */
export function StepList({ steps, current }: { steps: StepView[]; current: string | undefined }) {
  return (
    <ol class="steps" data-testid="steps">
      {steps.map((s, i) => (
        <li key={s.id} class={`step st-${s.status}${s.id === current ? ' current' : ''}`} data-step={s.id} data-status={s.status}>
          <span class="step-icon" role="img" aria-label={s.status}>
            {icons[s.status]}
          </span>
          <div class="step-body">
            <div class="step-title">
              <span class="step-no">{i + 1}</span> {s.title}
              {s.weight !== undefined && <span class="pill info small">{s.weight}%</span>}
              {!s.reversible && (
                <span class="pill warn small" title="completing this step passes the point of no return">
                  point of no return
                </span>
              )}
            </div>
            <div class="step-meta">
              <code>{s.id}</code> · {s.kind}
              {s.durationMs !== undefined ? ` · ${seconds(s.durationMs)}` : ''} · <span class="step-status">{s.status}</span>
            </div>
            {s.detail && <div class="step-detail">{s.detail}</div>}
          </div>
        </li>
      ))}
    </ol>
  );
}

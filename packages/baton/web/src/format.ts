/** Small display helpers for the page. */
export const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);

export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}

export const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—');

export const statusTone = (status: string): string =>
  status === 'succeeded' ? 'good' : status === 'paused' ? 'wait' : status === 'running' ? 'live' : status === 'halted' ? 'warn' : 'bad';

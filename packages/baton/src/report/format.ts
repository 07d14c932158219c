/** Seconds with two decimals, e.g. 1234 -> "1.23 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Bytes in the largest fitting binary unit with one decimal, e.g. "199.0 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return i === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[i]}`;
}

/** Milliseconds with up to two decimals, or a dash when there is no value. */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : `${Math.round(ms * 100) / 100} ms`;
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

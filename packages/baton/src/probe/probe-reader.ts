import type { ProbeReader, ProbeStats } from './probe-stats.js';
import type { StreamCut } from './probe-record.js';
import type { RequestLog } from './request-log.js';
import { measureVersionWindow, type VersionWindow, type VersionWindowQuery } from './version-window.js';

/** What the reader needs of the download watcher (StreamWatch). */
export interface StreamTimes {
  readonly startTimes: readonly number[];
  readonly cutTimes: readonly number[];
  record(): { cuts: { kept: StreamCut[] } };
}

/**
 * The read side of a probe over its request log (and downloads, if watched): totals since a time
 * and version windows. The running probe uses it, and tests build one over recorded samples.
 * Labelled windows are remembered (the last measurement of each) for the probe's record.
 */
export function createProbeReader(o: { log: RequestLog; streams?: StreamTimes | undefined }): ProbeReader & { windows(): VersionWindow[] } {
  const windows = new Map<string, VersionWindow>();
  const countSince = (times: readonly number[], since: number | undefined): number =>
    since === undefined ? times.length : times.filter((t) => t >= since).length;
  return {
    stats(sinceMs?: number): ProbeStats {
      return {
        ...o.log.stats(sinceMs),
        // Streams are the downloads (the seed's listeners), which a good drain lets finish. SSE and
        // WebSocket connections are not counted here: a draining server must end them at its
        // deadline however well it behaves (clients reconnect); the record reports them apart.
        streamsStarted: countSince(o.streams?.startTimes ?? [], sinceMs),
        streamsCut: countSince(o.streams?.cutTimes ?? [], sinceMs),
      };
    },
    window(query: VersionWindowQuery): VersionWindow {
      const measured = measureVersionWindow(o.log.samples, query);
      if (o.streams) {
        const from = measured.settledAt ?? measured.changedAt;
        const cuts = o.streams.record().cuts.kept.filter((c) => c.at >= from);
        const byNew = cuts.filter((c) => c.version === null || measured.newVersions.includes(c.version)).length;
        measured.streamsCut = { newVersion: byNew, others: cuts.length - byNew };
      }
      if (query.label !== undefined) windows.set(query.label, measured);
      return measured;
    },
    windows: () => [...windows.values()],
  };
}

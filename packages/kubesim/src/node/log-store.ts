import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';

/** One container run's log sink: lines are stored in the CRI log format `TS STREAM F|P TEXT`. */
export interface LogWriter {
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void;
  close(): void;
}

export interface LogQuery {
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

interface Run {
  file: string;
  open: boolean;
  events: EventEmitter;
}
interface ContainerLogs {
  uid: string;
  runs: Run[];
}

export type LogReadResult =
  | {
      kind: 'ok';
      text: string /** present when following is possible: the run is still writing */;
      follow?: (onText: (t: string) => void, onEnd: () => void) => () => void;
    }
  | { kind: 'not-found'; message: string };

function formatLine(raw: string, timestamps: boolean): string {
  // raw: "TS STREAM TAG TEXT"
  const a = raw.indexOf(' ');
  const b = raw.indexOf(' ', a + 1);
  const c = raw.indexOf(' ', b + 1);
  const ts = raw.slice(0, a);
  const tag = raw.slice(b + 1, c);
  const text = raw.slice(c + 1) + (tag === 'P' ? '' : '\n');
  return timestamps ? `${ts} ${text}` : text;
}

/**
 * Per-container log files, one per run (restart), kept on disk so `previous=true` works as on a
 * real node. Writes are synchronous so a reader that reads the file and then subscribes in the
 * same tick never misses or duplicates a line.
 */
export class LogStore {
  private readonly containers = new Map<string, ContainerLogs>();
  /**
   * @param maxFileBytes a run's log rotates once past this size (the kubelet's containerLogMaxSize,
   *   10 MiB); one rotated file is kept, so a chatty container uses at most twice this on disk.
   */
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
    private readonly maxFileBytes = 10 * 1024 * 1024,
  ) {}

  /** Starts a new run's log for a container; earlier runs of the same pod uid stay readable. */
  open(ns: string, pod: string, uid: string, container: string): LogWriter {
    const key = `${ns}/${pod}/${container}`;
    let logs = this.containers.get(key);
    if (!logs || logs.uid !== uid) {
      logs = { uid, runs: [] };
      this.containers.set(key, logs);
    }
    const dir = join(this.dir, `${ns}_${pod}_${uid}`, container);
    mkdirSync(dir, { recursive: true });
    const run: Run = { file: join(dir, `${logs.runs.length}.log`), open: true, events: new EventEmitter() };
    logs.runs.push(run);
    let fd = openSync(run.file, 'a');
    let size = 0;
    const partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
    const emit = (stream: 'stdout' | 'stderr', text: string, tag: 'F' | 'P'): void => {
      const line = `${new Date(this.now()).toISOString()} ${stream} ${tag} ${text}\n`;
      try {
        if (size > this.maxFileBytes) {
          closeSync(fd);
          renameSync(run.file, `${run.file}.1`);
          fd = openSync(run.file, 'a');
          size = 0;
        }
        size += writeSync(fd, line);
      } catch {
        // A full disk or a removed log dir loses log lines, never the node (this runs in an
        // output handler, where a throw would crash the process).
        return;
      }
      run.events.emit('line', line.slice(0, -1));
    };
    return {
      write(stream, chunk) {
        if (!run.open) return;
        const parts = (partial[stream] + chunk.toString()).split('\n');
        partial[stream] = parts.pop()!;
        for (const p of parts) emit(stream, p, 'F');
      },
      close() {
        if (!run.open) return;
        for (const s of ['stdout', 'stderr'] as const) if (partial[s] !== '') emit(s, partial[s], 'P');
        run.open = false;
        try {
          closeSync(fd);
        } catch {
          // already closed by a failed rotation
        }
        run.events.emit('end');
      },
    };
  }

  /** Forgets a pod's logs (files stay until the store's dir is removed). */
  forget(ns: string, pod: string, uid: string): void {
    for (const [k, v] of this.containers) if (k.startsWith(`${ns}/${pod}/`) && v.uid === uid) this.containers.delete(k);
  }

  read(ns: string, pod: string, container: string, q: LogQuery): LogReadResult {
    const logs = this.containers.get(`${ns}/${pod}/${container}`);
    if (!logs || logs.runs.length === 0)
      return { kind: 'not-found', message: `container "${container}" in pod "${pod}" is waiting to start` };
    const idx = q.previous ? logs.runs.length - 2 : logs.runs.length - 1;
    const run = logs.runs[idx];
    if (!run) return { kind: 'not-found', message: `previous terminated container "${container}" in pod "${pod}" not found` };
    let rotated = '';
    try {
      rotated = readFileSync(`${run.file}.1`, 'utf8');
    } catch {
      // not rotated yet
    }
    let current = '';
    try {
      current = readFileSync(run.file, 'utf8');
    } catch {
      // the log dir was removed: nothing to show
    }
    let lines = (rotated + current).split('\n');
    lines.pop();
    if (q.sinceSeconds !== undefined) {
      const since = this.now() - q.sinceSeconds * 1000;
      lines = lines.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since);
    }
    if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
    let text = lines.map((l) => formatLine(l, q.timestamps === true)).join('');
    if (q.limitBytes !== undefined) text = Buffer.from(text).subarray(0, q.limitBytes).toString();
    if (!run.open) return { kind: 'ok', text };
    return {
      kind: 'ok',
      text,
      follow: (onText, onEnd) => {
        if (!run.open) {
          onEnd();
          return () => {};
        }
        const onLine = (l: string): void => onText(formatLine(l, q.timestamps === true));
        run.events.on('line', onLine);
        run.events.once('end', onEnd);
        return () => {
          run.events.off('line', onLine);
          run.events.off('end', onEnd);
        };
      },
    };
  }
}

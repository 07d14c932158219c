import { spawn } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keeps a watchdog informed of the kubelet's process groups. */
export interface OrphanReaper {
  /** The process groups that must die if the kubelet's Node process dies. */
  update(pgids: number[]): void;
  /** Normal shutdown: the watchdog exits without killing anything. */
  stop(): void;
}

// Polls for the parent's death once a second, then SIGKILLs every group listed in the file ($2)
// and every process whose environment carries this kubelet's marker ($3): the list alone could
// miss a container started an instant before the kubelet died.
const SCRIPT =
  'while kill -0 "$1" 2>/dev/null; do [ -f "$2.stop" ] && exit 0; sleep 1; done; ' +
  '[ -f "$2.stop" ] && exit 0; for g in $(cat "$2" 2>/dev/null); do kill -KILL "-$g" 2>/dev/null; done; ' +
  'for e in /proc/[0-9]*/environ; do if grep -qa "$3" "$e" 2>/dev/null; then p=${e#/proc/}; kill -KILL "${p%/environ}" 2>/dev/null; fi; done; rm -f "$2"';

/** The environment variable every container process of one kubelet carries (see startOrphanReaper). */
export const KUBELET_ID_ENV = 'KUBESIM_KUBELET_ID';

/**
 * Containers are detached process groups, so they outlive a Node process that is killed by a
 * signal (Ctrl-C, SIGKILL), when no exit hook runs. A tiny detached shell watches this process
 * and, once it is gone, SIGKILLs the groups last written to `dir/pgids` and every process whose
 * environment has `KUBESIM_KUBELET_ID=<id>`. One `sh` per kubelet.
 */
export function startOrphanReaper(dir: string, id: string): OrphanReaper {
  const file = join(dir, 'pgids');
  writeFileSync(file, '');
  // Its own session: a terminal's Ctrl-C (sent to the foreground group) must not kill it too.
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'kubesim-orphan-reaper', String(process.pid), file, `${KUBELET_ID_ENV}=${id}`], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {});
  child.unref();
  let stopped = false;
  return {
    update(pgids) {
      if (stopped) return;
      // Atomic replace: the watchdog never reads a half-written list.
      writeFileSync(`${file}.tmp`, pgids.join(' '));
      renameSync(`${file}.tmp`, file);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      writeFileSync(`${file}.stop`, '');
      child.kill('SIGKILL');
      rmSync(file, { force: true });
      rmSync(`${file}.stop`, { force: true });
    },
  };
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One bind mount of a pod volume into a container's private mount namespace. */
export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

let supported: boolean | undefined;

// Absolute paths: a container's PATH (the image's) must not decide which unshare/nsenter runs.
const tool = (name: string): string =>
  ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => `${d}/${name}`).find((p) => existsSync(p)) ?? name;
const unshare = tool('unshare');
const nsenter = tool('nsenter');

/**
 * Whether this machine lets the kubelet give each container a private mount namespace
 * (root, or a kernel that allows it): checked once with `unshare --mount true`.
 */
export function mountNamespacesSupported(): boolean {
  if (supported === undefined) {
    const r = spawnSync(unshare, ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore', timeout: 5000 });
    supported = r.status === 0;
  }
  return supported;
}

// Runs in the new mount namespace before the container's command: bind each volume at its
// mountPath (read-only when asked), then exec the command, keeping the pid the kubelet watches.
const SCRIPT = `
while [ "$1" != "--" ]; do
  mkdir -p "$2" 2>/dev/null
  mount --bind "$1" "$2" || { echo "kubesim: mounting $1 at $2 failed" >&2; exit 32; }
  if [ "$3" = ro ]; then mount -o remount,bind,ro "$2" || exit 32; fi
  shift 3
done
shift
exec "$@"`;

/**
 * The argv that starts `file args...` in a private mount namespace with the given bind mounts
 * (util-linux unshare execs in place, and so does the shell, so the pid is the container's).
 * Each mount point is created on the host if missing, as a container runtime creates it.
 */
export function inMountNamespace(mounts: BindMount[], file: string, args: string[]): { file: string; args: string[] } {
  const spec = mounts.flatMap((m) => [m.source, m.target, m.readOnly ? 'ro' : 'rw']);
  return {
    file: unshare,
    args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', SCRIPT, 'kubesim-mount', ...spec, '--', file, ...args],
  };
}

/** The argv that runs `file args...` inside the mount namespace of a running container (exec, probes, hooks). */
export function inContainerMounts(pid: number | undefined, cwd: string, file: string, args: string[]): { file: string; args: string[] } {
  if (pid === undefined) return { file, args };
  // Entering a mount namespace resets the working directory to its root: set it again.
  return { file: nsenter, args: [`--target=${pid}`, '--mount', `--wd=${cwd}`, '--', file, ...args] };
}

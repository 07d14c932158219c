import { spawn } from 'node:child_process';
import { inContainerMounts } from './mount-namespace.js';
import type { WebSocket } from 'ws';
import type { RunningContainer } from './container-record.js';
import { notFoundMessage, resolveExecutable } from './container-command.js';
import { signalGroup } from './container-process.js';

/** Subprotocols served, best first: v5 adds the close-stream signal (channel 255). */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0,
  STDOUT = 1,
  STDERR = 2,
  ERROR = 3,
  CLOSE = 255;

export interface ExecRequest {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

function exitStatus(command: string[], code: number, message?: string): object {
  return {
    metadata: {},
    status: 'Failure',
    message: message ?? `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/**
 * Serves one exec over an upgraded WebSocket with the Kubernetes channel protocol: the command
 * runs as a local process (own process group) with the container's env, working dir and PATH;
 * the exit is reported on the error channel as a metav1.Status.
 */
export function runExecSession(ws: WebSocket, req: ExecRequest, container: RunningContainer): void {
  const send = (channel: number, data: Buffer | string): void => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
  };
  const finish = (status: object): void => {
    send(ERROR, JSON.stringify(status));
    ws.close(1000);
  };
  if (req.tty) {
    finish({
      metadata: {},
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: 'kubesim does not support tty for exec (no pseudo-terminal): run without -t, e.g. kubectl exec -i POD -- CMD',
    });
    return;
  }
  if (req.command.length === 0) {
    finish({
      metadata: {},
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: 'you must specify at least one command for the container',
    });
    return;
  }
  const file = resolveExecutable(req.command[0]!, container.env.PATH ?? '', container.cwd);
  if (!file) {
    // What containerd/runc report for a missing binary, with the shell's "not found" exit code.
    const msg = `OCI runtime exec failed: exec failed: unable to start container process: ${notFoundMessage(req.command[0]!)}: unknown`;
    if (req.stderr) send(STDERR, msg + '\r\n');
    finish(exitStatus(req.command, 127, msg));
    return;
  }
  const run = inContainerMounts(container.mountNsPid, container.cwd, file, req.command.slice(1));
  const child = spawn(run.file, run.args, {
    argv0: container.mountNsPid === undefined ? req.command[0] : run.file,
    cwd: container.cwd,
    env: container.env,
    detached: true,
    stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let done = false;
  child.stdout!.on('data', (c: Buffer) => {
    if (req.stdout) send(STDOUT, c);
  });
  child.stderr!.on('data', (c: Buffer) => {
    if (req.stderr) send(STDERR, c);
  });
  child.stdin?.on('error', () => {});
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const buf = isBinary ? data : Buffer.from(data.toString(), 'base64');
    if (buf.length === 0) return;
    if (buf[0] === STDIN) child.stdin?.write(buf.subarray(1));
    else if (buf[0] === CLOSE && buf[1] === STDIN) child.stdin?.end();
    // channel 4 (resize) is meaningless without a tty
  });
  ws.on('close', () => {
    child.stdin?.end();
    // The client went away: the command and anything it started die with the session.
    if (!done && child.pid) signalGroup(child.pid, 'SIGKILL');
  });
  child.once('error', (e) => {
    done = true;
    finish({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `failed to exec in container: ${e.message}` });
  });
  // On exit, stragglers holding the pipes are killed so 'close' (all output flushed) follows.
  child.once('exit', () => {
    if (child.pid) signalGroup(child.pid, 'SIGKILL');
  });
  child.once('close', (code, sig) => {
    done = true;
    const exitCode = code ?? 128 + (sig === 'SIGKILL' ? 9 : 15);
    finish(exitCode === 0 ? { metadata: {}, status: 'Success' } : exitStatus(req.command, exitCode));
  });
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { inContainerMounts } from './mount-namespace.js';
import type { Container, ExecAction, HttpGetAction, TcpSocketAction } from './pod-types.js';
import { notFoundMessage, resolveExecutable } from './container-command.js';
import { signalGroup } from './container-process.js';

/** Where probe and hook actions run: the container's address, ports and environment. */
export interface ActionTarget {
  podIP: string;
  container: Container;
  env: Record<string, string>;
  cwd: string;
  /** The container's private mount namespace (its main pid), entered by exec actions. */
  mountNsPid?: number;
}

export type ActionResult = { kind: 'success'; output?: string } | { kind: 'failure'; message: string };

function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

function httpGet(a: HttpGetAction, t: ActionTarget, timeoutMs: number): Promise<ActionResult> {
  const port = resolvePort(a.port, t.container);
  if (port === undefined) return Promise.resolve({ kind: 'failure', message: `unknown port name "${String(a.port)}"` });
  const https = (a.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of a.httpHeaders ?? []) headers[h.name] = h.value;
  const host = a.host ?? t.podIP;
  return new Promise((resolve) => {
    const req = (https ? httpsRequest : httpRequest)(
      { host, port, path: a.path ?? '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false, agent: false },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => {});
        clearTimeout(timer);
        // Redirects count as success, as in the kubelet (it does not follow them off-host).
        resolve(
          code >= 200 && code < 400 ? { kind: 'success' } : { kind: 'failure', message: `HTTP probe failed with statuscode: ${code}` },
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve({
        kind: 'failure',
        message: `Get "${https ? 'https' : 'http'}://${host}:${port}${a.path ?? '/'}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'failure', message: `Get "${https ? 'https' : 'http'}://${host}:${port}${a.path ?? '/'}": ${e.message}` });
    });
    req.end();
  });
}

function tcpSocket(a: TcpSocketAction, t: ActionTarget, timeoutMs: number): Promise<ActionResult> {
  const port = resolvePort(a.port, t.container);
  if (port === undefined) return Promise.resolve({ kind: 'failure', message: `unknown port name "${String(a.port)}"` });
  const host = a.host ?? t.podIP;
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ kind: 'failure', message: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ kind: 'success' });
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'failure', message: `dial tcp ${host}:${port}: ${e.message}` });
    });
  });
}

/** Runs a command in the container's environment; non-zero exit or timeout is a failure. */
export function execAction(a: ExecAction, t: ActionTarget, timeoutMs: number): Promise<ActionResult> {
  const argv = a.command ?? [];
  if (argv.length === 0) return Promise.resolve({ kind: 'failure', message: 'exec: no command' });
  const file = resolveExecutable(argv[0]!, t.env.PATH ?? '', t.cwd);
  if (!file) return Promise.resolve({ kind: 'failure', message: notFoundMessage(argv[0]!) });
  return new Promise((resolve) => {
    const run = inContainerMounts(t.mountNsPid, t.cwd, file, argv.slice(1));
    const child = spawn(run.file, run.args, {
      argv0: t.mountNsPid === undefined ? argv[0] : run.file,
      cwd: t.cwd,
      env: t.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < 10_240) out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      if (out.length < 10_240) out += c.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'failure', message: e.message });
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
      if (timedOut) resolve({ kind: 'failure', message: `command timed out: "${argv.join(' ')}" timed out after ${timeoutMs / 1000}s` });
      else if (code === 0) resolve({ kind: 'success', output: out });
      else resolve({ kind: 'failure', message: `command "${argv.join(' ')}" exited with ${code ?? sig}: ${out.trim()}` });
    });
  });
}

/** One attempt of a probe or lifecycle handler (httpGet, tcpSocket, exec; grpc is unsupported). */
export function runAction(
  a: { exec?: ExecAction; httpGet?: HttpGetAction; tcpSocket?: TcpSocketAction; grpc?: unknown },
  t: ActionTarget,
  timeoutMs: number,
): Promise<ActionResult> {
  if (a.httpGet) return httpGet(a.httpGet, t, timeoutMs);
  if (a.tcpSocket) return tcpSocket(a.tcpSocket, t, timeoutMs);
  if (a.exec) return execAction(a.exec, t, timeoutMs);
  if (a.grpc) return Promise.resolve({ kind: 'failure', message: 'grpc probes are not supported by kubesim' });
  return Promise.resolve({ kind: 'failure', message: 'no handler specified' });
}

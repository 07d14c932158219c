import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../../errors.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/** What `baton demo --keep` leaves in its state folder for the next commands and `demo stop`. */
interface KeptDemo {
  pid: number;
  kubeconfig: string;
  spec: string;
  runId: string;
}

const keptFile = (stateDir: string): string => join(stateDir, 'demo.json');
const envFile = (stateDir: string): string => join(stateDir, 'demo.env');

/**
 * Keeps the demo's cluster and database running after the upgrade, so `status`, `releases`,
 * `rollback`, `promote` and the dashboard can be tried on it. The environment the next commands
 * need (the kubeconfig, the database URL the spec names) goes to a 0600 file to source, never to
 * the screen. Resolves when this process is told to stop (Ctrl-C or `baton demo stop`).
 */
export async function keepDemo(
  io: CliIO,
  o: { stateDir: string; kubeconfig: string; spec: string; runId: string; env: Record<string, string> },
): Promise<void> {
  await mkdir(o.stateDir, { recursive: true, mode: 0o700 });
  const kept: KeptDemo = { pid: process.pid, kubeconfig: o.kubeconfig, spec: o.spec, runId: o.runId };
  await writeFile(keptFile(o.stateDir), `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
  const lines = Object.entries({ KUBECONFIG: o.kubeconfig, ...o.env }).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  await writeFile(envFile(o.stateDir), `${lines.join('\n')}\n`, { mode: 0o600 });
  const state = `--state-dir ${shellQuote(o.stateDir)}`;
  io.stderr.write(`
The demo cluster keeps running (this process holds it; Ctrl-C or \`baton demo stop\` ends it).
kubeconfig: ${o.kubeconfig}
In another terminal:
  . ${shellQuote(envFile(o.stateDir))}          # KUBECONFIG and the demo database for the commands below
  kubectl get pods
  npx baton status ${o.runId} ${state}
  npx baton releases -f ${shellQuote(o.spec)} ${state}
  npx baton rollback -f ${shellQuote(o.spec)} ${state}
  npx baton promote RUN ${state}              # a paused canary / A/B run
  npx baton dashboard ${state}
  npx baton demo stop ${state}
`);
  await new Promise<void>((done) => {
    if (io.signal.aborted) return done();
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await rm(keptFile(o.stateDir), { force: true });
  await rm(envFile(o.stateDir), { force: true });
}

/** `baton demo stop`: ends the demo that `--keep` left running, by the PID it recorded. */
export async function stopKeptDemo(io: CliIO, stateDir: string): Promise<number> {
  let kept: KeptDemo;
  try {
    kept = JSON.parse(await readFile(keptFile(stateDir), 'utf8')) as KeptDemo;
  } catch {
    throw new BatonError('USAGE_NO_DEMO', `no demo is running from ${stateDir} (no ${keptFile(stateDir)})`, {
      hint: 'start one with `baton demo --keep` (pass the same --state-dir)',
    });
  }
  if (!Number.isInteger(kept.pid) || kept.pid <= 1 || !alive(kept.pid)) {
    await rm(keptFile(stateDir), { force: true });
    await rm(envFile(stateDir), { force: true });
    io.stderr.write(`the demo (pid ${kept.pid}) is not running any more; its files are removed\n`);
    return exitCodes.ok;
  }
  process.kill(kept.pid, 'SIGTERM');
  for (let waited = 0; waited < 60_000 && alive(kept.pid); waited += 200) await sleep(200);
  if (alive(kept.pid)) {
    io.stderr.write(`the demo (pid ${kept.pid}) did not stop within 60 s; it is still cleaning up\n`);
    return exitCodes.failed;
  }
  io.stderr.write(`demo stopped (pid ${kept.pid}): kubesim, its pods and the embedded PostgreSQL are gone\n`);
  return exitCodes.ok;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Single-quotes a value for a POSIX shell (the env file is sourced). */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

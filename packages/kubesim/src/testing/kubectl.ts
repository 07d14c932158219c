import { spawn } from 'node:child_process';

/** Exit code (null when killed), output, and whether the time bound killed it. */
export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Which cluster, how long, what to feed stdin. */
export interface KubectlOptions {
  kubeconfig: string;
  /** Killed (SIGTERM) after this long; watches use it as their bound. Default 30 s. */
  timeoutMs?: number;
  input?: string;
  /** Resolve early once stdout matches (then the process is killed). */
  until?: RegExp;
}

/** Runs the real /usr/bin/kubectl with an argv array (never a shell), bounded in time. */
export function kubectl(args: string[], o: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', o.kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, o.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (o.until && o.until.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.end(o.input ?? '');
  });
}

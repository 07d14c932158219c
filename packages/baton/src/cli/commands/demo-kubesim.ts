import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BatonError } from '../../errors.js';

/** kubesim running as its own process, as a cluster is: baton's probe then measures the app, not its own event loop. */
export interface DemoCluster {
  kubeconfigPath: string;
  kubeconfig: string;
  /** The ingress proxy's URL, as `kubesim up` prints it. */
  ingressUrl: string;
  stop(): Promise<void>;
}

export async function startDemoKubesim(options: { images: string; kubeconfigPath: string; propagationDelayMs: number; onLine?: (line: string) => void }): Promise<DemoCluster> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@baton/kubesim/package.json')), 'bin', 'kubesim.js');
  const child: ChildProcess = spawn(process.execPath, [bin, 'up', '--kubeconfig', options.kubeconfigPath, '--images', options.images, '--propagation-delay', String(options.propagationDelayMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => { output += chunk.toString('utf8'); };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const up = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = (): void => { if (output.includes('kubesim is up')) resolve(true); };
      child.stdout?.on('data', check);
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000)),
  ]);
  if (!up) {
    child.kill('SIGKILL');
    throw new BatonError('DEMO_KUBESIM', `kubesim did not start:\n${output.slice(-2000)}`);
  }
  const kubeconfig = await readFile(options.kubeconfigPath, 'utf8');
  const ingressUrl = /ingress:\s+(\S+)/.exec(output)?.[1];
  if (!ingressUrl) throw new BatonError('DEMO_KUBESIM', `kubesim did not say where its ingress listens:\n${output.slice(-2000)}`);
  return {
    kubeconfigPath: options.kubeconfigPath,
    kubeconfig,
    ingressUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // kubesim stops every pod process it started, then exits
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 40_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BatonError } from '../errors.js';

/**
 * kubesim running as its own process, as a cluster is: baton's probe then measures the app, not
 * its own event loop (a probe sharing a loop with the cluster times out every request in flight
 * whenever that loop stalls). The demo and the e2e suites start it this way.
 */
export interface KubesimProcess {
  kubeconfigPath: string;
  kubeconfig: string;
  /** The API server's and the ingress proxy's URLs, as `kubesim up` prints them. */
  apiUrl: string;
  ingressUrl: string;
  stop(): Promise<void>;
}

export interface KubesimProcessOptions {
  images: string;
  kubeconfigPath: string;
  propagationDelayMs: number;
  kubernetesVersion?: string;
}

/** Keeps the last part of what kubesim printed, for an error message. */
const outputTail = 64 * 1024;

export async function startKubesimProcess(options: KubesimProcessOptions): Promise<KubesimProcess> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@baton/kubesim/package.json')), 'bin', 'kubesim.js');
  const args = [
    bin,
    'up',
    '--kubeconfig',
    options.kubeconfigPath,
    '--images',
    options.images,
    '--propagation-delay',
    String(options.propagationDelayMs),
    // Our stdin is its lifeline: if this process dies (even by SIGKILL), kubesim stops its pods and exits.
    '--stop-when-stdin-closes',
    ...(options.kubernetesVersion ? ['--kubernetes-version', options.kubernetesVersion] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-outputTail);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const up = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (output.includes('kubesim is up')) resolve(true);
      };
      child.stdout?.on('data', check);
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 60_000);
    }),
  ]);
  clearTimeout(timer);
  if (!up) {
    child.kill('SIGKILL');
    throw new BatonError('KUBESIM_START', `kubesim did not start:\n${output.slice(-2000)}`);
  }
  const kubeconfig = await readFile(options.kubeconfigPath, 'utf8');
  const ingressUrl = /ingress:\s+(\S+)/.exec(output)?.[1];
  const apiUrl = /API server:\s+(\S+)/.exec(output)?.[1];
  if (!ingressUrl || !apiUrl)
    throw new BatonError('KUBESIM_START', `kubesim did not say where its API server and ingress listen:\n${output.slice(-2000)}`);
  return {
    kubeconfigPath: options.kubeconfigPath,
    kubeconfig,
    apiUrl,
    ingressUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // kubesim stops every pod process it started, then exits
      let kill: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => {
          kill = setTimeout(() => r('timeout'), 40_000);
        }),
      ]);
      clearTimeout(kill);
      if (code === 'timeout') child.kill('SIGKILL');
    },
  };
}

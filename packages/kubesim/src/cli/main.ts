#!/usr/bin/env node
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { startCluster } from '../cluster.js';
import { kubernetesVersion } from '../kubernetes-version.js';

const program = new Command('kubesim').description('A Kubernetes you can run in one Node process, with pods as real local processes.');

program
  .command('up')
  .description('start an API server, controllers, a node and the network; runs until Ctrl-C')
  .requiredOption('--kubeconfig <file>', 'write the kubeconfig here (use it with kubectl --kubeconfig or KUBECONFIG)')
  .option('--images <file>', "images.yaml mapping image references to local commands (default: the demo app's, demo/app:v1..v3)")
  .option('--data <dir>', 'keep the API state in this folder across restarts')
  .option('--propagation-delay <ms>', 'how late endpoint changes reach the proxies', '1000')
  .option('--ingress-port <port>', 'port of the ingress proxy on 127.0.0.1 (default: a free one)')
  .option('--api-port <port>', 'port of the API server on 127.0.0.1 (default: a free one)')
  .option('--kubernetes-version <minor>', 'the Kubernetes minor to serve, 1.26 to 1.32: its /version, fields and behaviour', '1.32')
  .option(
    '--stop-when-stdin-closes',
    'stop (and every pod) when stdin closes: for a parent process that owns this cluster, so it never outlives it',
  )
  .option(
    '--timing <model>',
    'kubelet timing: "realistic" (image pull, container start, probe periods as a real node) or "fast" (tests)',
    'fast',
  )
  .action(
    async (options: {
      kubeconfig: string;
      images?: string;
      data?: string;
      propagationDelay: string;
      ingressPort?: string;
      apiPort?: string;
      kubernetesVersion: string;
      timing: string;
      stopWhenStdinCloses?: boolean;
    }) => {
      const kubeconfigPath = resolve(options.kubeconfig);
      const images = options.images ? resolve(options.images) : demoImages();
      if (!options.images) process.stdout.write(`no --images given: using the demo app's image map (${images})\n`);
      try {
        kubernetesVersion(options.kubernetesVersion);
        if (options.timing !== 'fast' && options.timing !== 'realistic')
          throw new Error(`unknown --timing "${options.timing}": use "realistic" or "fast"`);
      } catch (error) {
        process.stderr.write(`kubesim: ${(error as Error).message}\n`);
        process.exit(2);
      }
      const cluster = await startCluster({
        kubernetesVersion: options.kubernetesVersion,
        timing: options.timing === 'realistic' ? 'realistic' : 'fast',
        images,
        kubeconfigPath,
        propagationDelayMs: Number(options.propagationDelay),
        ...(options.data ? { dataDir: resolve(options.data) } : {}),
        ...(options.ingressPort ? { ingressPort: Number(options.ingressPort) } : {}),
        ...(options.apiPort ? { apiPort: Number(options.apiPort) } : {}),
      });
      process.stdout.write(
        `kubesim is up (Kubernetes ${kubernetesVersion(options.kubernetesVersion).gitVersion})\n  API server: ${cluster.apiUrl}\n  ingress:    ${cluster.ingressUrl}\n  kubeconfig: ${kubeconfigPath}\n\n  kubectl --kubeconfig ${kubeconfigPath} get nodes\n\nCtrl-C stops it (and every pod process).\n`,
      );
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        process.stdout.write('stopping kubesim...\n');
        void cluster.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      if (options.stopWhenStdinCloses) {
        process.stdin.on('end', stop).on('close', stop).on('error', stop);
        process.stdin.resume();
      }
    },
  );

/** The demo app's images.yaml, found through the workspace; a clear error where it is not installed. */
function demoImages(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@baton/demo-app/package.json')), 'images.yaml');
  } catch {
    throw new Error(
      'no --images given and the demo app (@baton/demo-app) is not installed: pass --images FILE (see packages/demo-app/images.yaml for the format)',
    );
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`kubesim: ${(error as Error).message}\n`);
  process.exit(1);
}

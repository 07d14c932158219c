#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command } from 'commander';
import { startCluster } from '../cluster.js';

const program = new Command('kubesim')
  .description('A Kubernetes you can run in one Node process, with pods as real local processes.');

program.command('up')
  .description('start an API server, controllers, a node and the network; runs until Ctrl-C')
  .requiredOption('--kubeconfig <file>', 'write the kubeconfig here (use it with kubectl --kubeconfig or KUBECONFIG)')
  .requiredOption('--images <file>', 'images.yaml mapping image references to local commands')
  .option('--data <dir>', 'keep the API state in this folder across restarts')
  .option('--propagation-delay <ms>', 'how late endpoint changes reach the proxies', '1000')
  .option('--ingress-port <port>', 'port of the ingress proxy on 127.0.0.1 (default: a free one)')
  .option('--api-port <port>', 'port of the API server on 127.0.0.1 (default: a free one)')
  .action(async (options: { kubeconfig: string; images: string; data?: string; propagationDelay: string; ingressPort?: string; apiPort?: string }) => {
    const kubeconfigPath = resolve(options.kubeconfig);
    const cluster = await startCluster({
      images: resolve(options.images),
      kubeconfigPath,
      propagationDelayMs: Number(options.propagationDelay),
      ...(options.data ? { dataDir: resolve(options.data) } : {}),
      ...(options.ingressPort ? { ingressPort: Number(options.ingressPort) } : {}),
      ...(options.apiPort ? { apiPort: Number(options.apiPort) } : {}),
    });
    process.stdout.write(`kubesim is up\n  API server: ${cluster.apiUrl}\n  ingress:    ${cluster.ingressUrl}\n  kubeconfig: ${kubeconfigPath}\n\n  kubectl --kubeconfig ${kubeconfigPath} get nodes\n\nCtrl-C stops it (and every pod process).\n`);
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('stopping kubesim...\n');
      void cluster.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`kubesim: ${(error as Error).message}\n`);
  process.exit(1);
}

import { after, before, describe } from 'node:test';
import { randomBytes } from 'node:crypto';
import { startCluster, type Cluster } from '@baton/kubesim';
import { journalContract } from '../engine/testing/journal-contract.js';
import { ConfigMapJournal } from './configmap-journal.js';
import type { KubeClient } from './kube-client.js';
import { ClientNodeKubeClient } from './client-node-kube-client.js';

describe('ConfigMapJournal on kubesim', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await startCluster({ images: {} });
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
  });
  after(async () => {
    await cluster?.stop();
  });

  // Each case gets its own namespace: a fresh, empty journal, as the contract asks.
  journalContract('ConfigMapJournal', async () => {
    const namespace = `journal-${randomBytes(3).toString('hex')}`;
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    return {
      journal: new ConfigMapJournal(kube, namespace),
      cleanup: async () => {
        await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
      },
    };
  });
});

import { cpus, totalmem, hostname, release } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeClient } from './kube-client.js';

export interface NodeRegistrationOptions {
  client: KubeClient;
  nodeName: string;
  kubeletPort: number;
  podCidr: string;
  now: () => number;
  /** How often the Ready heartbeat and the Lease are renewed (kubelet: 10s). */
  heartbeatMs?: number;
  /** Reported in nodeInfo (kubectl get nodes' VERSION column). */
  kubeletVersion?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

function conditions(now: string, since: string): object[] {
  const c = (type: string, status: string, reason: string, message: string): object => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: since,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/**
 * Registers the Node (creating it, or taking over an existing one of the same name), then keeps
 * its Ready condition and its Lease in kube-node-lease fresh. A server that does not serve
 * leases simply gets none. Returns a stop function.
 */
export async function registerNode(o: NodeRegistrationOptions): Promise<() => void> {
  const { client, nodeName } = o;
  const since = iso(o.now());
  const resources = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '110', 'ephemeral-storage': '100Gi' };
  const status = () => ({
    conditions: conditions(iso(o.now()), since),
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: o.kubeletPort } },
    capacity: resources,
    allocatable: resources,
    nodeInfo: {
      machineID: randomUUID().replace(/-/g, ''),
      systemUUID: randomUUID(),
      bootID: randomUUID(),
      kernelVersion: release(),
      osImage: `kubesim on ${hostname()}`,
      containerRuntimeVersion: 'kubesim://0.1.0',
      kubeletVersion: o.kubeletVersion ?? 'v1.32.2-kubesim',
      kubeProxyVersion: o.kubeletVersion ?? 'v1.32.2-kubesim',
      operatingSystem: 'linux',
      architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    },
  });
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kubesim',
      },
    },
    spec: { podCIDR: o.podCidr, podCIDRs: [o.podCidr] },
    status: status(),
  };
  const created = await client.request<{ metadata?: { uid?: string } }>('POST', '/api/v1/nodes', node);
  if (created.status >= 300 && created.status !== 409)
    throw new Error(`registering node ${nodeName}: HTTP ${created.status}: ${created.text.slice(0, 300)}`);
  const patchStatus = async (): Promise<void> => {
    await client
      .request('PATCH', `/api/v1/nodes/${nodeName}/status`, { status: status() }, 'application/merge-patch+json')
      .catch(() => undefined);
  };
  await patchStatus();
  const got = await client.request<{ metadata?: { uid?: string } }>('GET', `/api/v1/nodes/${nodeName}`);
  const nodeUid = got.body?.metadata?.uid;

  const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
  let leases = true;
  const renewLease = async (): Promise<void> => {
    if (!leases) return;
    const spec = { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: micro(o.now()) };
    const r = await client
      .request('PATCH', `${leasePath}/${nodeName}`, { spec }, 'application/merge-patch+json')
      .catch(() => ({ status: 0 }));
    if (r.status !== 404) return;
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: nodeName,
        namespace: 'kube-node-lease',
        ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
      },
      spec,
    };
    let c = await client.request('POST', leasePath, lease).catch(() => ({ status: 0 }));
    if (c.status === 404) {
      await client
        .request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } })
        .catch(() => undefined);
      c = await client.request('POST', leasePath, lease).catch(() => ({ status: 0 }));
    }
    if (c.status === 404) leases = false; // the server does not serve coordination.k8s.io
  };
  await renewLease();
  const timer = setInterval(() => {
    void patchStatus();
    void renewLease();
  }, o.heartbeatMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}

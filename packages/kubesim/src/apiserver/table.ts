import type { ResourceDescriptor } from './resource-descriptor.js';
import { isObject, type KubeObject } from './types.js';

type Column = {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  value(o: KubeObject, now: number): unknown;
};

/** Go's duration.HumanDuration, which the real server uses for AGE. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return d < 730 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

const age = (o: KubeObject, now: number): string =>
  o.metadata.creationTimestamp ? humanDuration((now - Date.parse(o.metadata.creationTimestamp)) / 1000) : '<unknown>';

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((c, k) => (isObject(c) ? c[k] : undefined), o);
const num = (o: unknown, path: string): number => Number(get(o, path) ?? 0);
const col = (name: string, value: Column['value'], type = 'string', priority = 0): Column => ({
  name,
  type,
  description: name,
  priority,
  value,
});

function podReady(o: KubeObject): string {
  const cs = get(o, 'status.containerStatuses');
  const total = Array.isArray(get(o, 'spec.containers')) ? (get(o, 'spec.containers') as unknown[]).length : 0;
  const ready = Array.isArray(cs) ? cs.filter((c) => isObject(c) && c['ready'] === true).length : 0;
  return `${ready}/${total}`;
}

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const cs = get(o, 'status.containerStatuses');
  if (Array.isArray(cs)) {
    for (const c of cs) {
      const w = get(c, 'state.waiting.reason');
      if (typeof w === 'string' && w) return w;
      const t = get(c, 'state.terminated.reason');
      if (typeof t === 'string' && t) return t;
    }
  }
  return String(get(o, 'status.reason') ?? get(o, 'status.phase') ?? 'Unknown');
}

function restarts(o: KubeObject): number {
  const cs = get(o, 'status.containerStatuses');
  return Array.isArray(cs) ? cs.reduce<number>((n, c) => n + Number(get(c, 'restartCount') ?? 0), 0) : 0;
}

function containers(o: KubeObject): Record<string, unknown>[] {
  const cs = get(o, 'spec.template.spec.containers');
  return Array.isArray(cs) ? cs.filter(isObject) : [];
}

function selectorText(sel: unknown): string {
  const m = isObject(sel) && isObject(sel['matchLabels']) ? sel['matchLabels'] : {};
  return Object.entries(m)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/** Printer columns per kind between NAME and AGE, after the upstream printers. */
const columns: Record<string, Column[]> = {
  Pod: [
    col('Ready', podReady),
    col('Status', podStatus),
    col('Restarts', restarts, 'string'),
    col('IP', (o) => String(get(o, 'status.podIP') ?? '<none>'), 'string', 1),
    col('Node', (o) => String(get(o, 'spec.nodeName') ?? '<none>'), 'string', 1),
  ],
  Deployment: [
    col('Ready', (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`),
    col('Up-to-date', (o) => num(o, 'status.updatedReplicas'), 'integer'),
    col('Available', (o) => num(o, 'status.availableReplicas'), 'integer'),
    col(
      'Containers',
      (o) =>
        containers(o)
          .map((c) => c['name'])
          .join(','),
      'string',
      1,
    ),
    col(
      'Images',
      (o) =>
        containers(o)
          .map((c) => c['image'])
          .join(','),
      'string',
      1,
    ),
    col('Selector', (o) => selectorText(get(o, 'spec.selector')), 'string', 1),
  ],
  ReplicaSet: [
    col('Desired', (o) => num(o, 'spec.replicas'), 'integer'),
    col('Current', (o) => num(o, 'status.replicas'), 'integer'),
    col('Ready', (o) => num(o, 'status.readyReplicas'), 'integer'),
  ],
  Service: [
    col('Type', (o) => String(get(o, 'spec.type') ?? '')),
    col('Cluster-IP', (o) => String(get(o, 'spec.clusterIP') ?? '<none>')),
    col('External-IP', () => '<none>'),
    col('Port(s)', (o) => {
      const ps = get(o, 'spec.ports');
      return Array.isArray(ps) && ps.length
        ? ps.map((p) => `${String(get(p, 'port'))}/${String(get(p, 'protocol') ?? 'TCP')}`).join(',')
        : '<none>';
    }),
  ],
  Job: [
    col('Status', (o) =>
      num(o, 'status.succeeded') >= num(o, 'spec.completions') && num(o, 'spec.completions') > 0
        ? 'Complete'
        : num(o, 'status.failed') > 0
          ? 'Failed'
          : 'Running',
    ),
    col('Completions', (o) => `${num(o, 'status.succeeded')}/${num(o, 'spec.completions')}`),
  ],
  Namespace: [col('Status', (o) => String(get(o, 'status.phase') ?? ''))],
  Ingress: [
    col('Class', (o) => String(get(o, 'spec.ingressClassName') ?? '<none>')),
    col('Hosts', (o) => {
      const rules = get(o, 'spec.rules');
      const hosts = Array.isArray(rules) ? rules.map((r) => String(get(r, 'host') ?? '*')) : [];
      return hosts.length ? hosts.join(',') : '*';
    }),
    col('Address', (o) => {
      const lb = get(o, 'status.loadBalancer.ingress');
      return Array.isArray(lb) ? lb.map((x) => String(get(x, 'ip') ?? get(x, 'hostname') ?? '')).join(',') : '';
    }),
    col('Ports', (o) => (Array.isArray(get(o, 'spec.tls')) && (get(o, 'spec.tls') as unknown[]).length ? '80, 443' : '80')),
  ],
  CronJob: [
    col('Schedule', (o) => String(get(o, 'spec.schedule') ?? '')),
    col('Timezone', (o) => String(get(o, 'spec.timeZone') ?? '<none>')),
    col('Suspend', (o) => String(get(o, 'spec.suspend') ?? false)),
    col('Active', (o) => (Array.isArray(get(o, 'status.active')) ? (get(o, 'status.active') as unknown[]).length : 0), 'integer'),
    col('Last Schedule', (o) => String(get(o, 'status.lastScheduleTime') ?? '<none>')),
  ],
  Endpoints: [
    col('Endpoints', (o) => {
      const subsets = get(o, 'subsets');
      const out: string[] = [];
      for (const ss of Array.isArray(subsets) ? subsets : []) {
        const addrs = get(ss, 'addresses'),
          ports = get(ss, 'ports');
        for (const a of Array.isArray(addrs) ? addrs : [])
          for (const p of Array.isArray(ports) ? ports : [undefined])
            out.push(`${String(get(a, 'ip'))}${p ? ':' + String(get(p, 'port')) : ''}`);
      }
      return out.length ? out.join(',') : '<none>';
    }),
  ],
  EndpointSlice: [
    col('AddressType', (o) => String(get(o, 'addressType') ?? '')),
    col('Ports', (o) => {
      const ps = get(o, 'ports');
      return Array.isArray(ps) && ps.length ? ps.map((p) => String(get(p, 'port') ?? '')).join(',') : '<unset>';
    }),
    col('Endpoints', (o) => {
      const es = get(o, 'endpoints');
      const ips = Array.isArray(es) ? es.flatMap((e) => (Array.isArray(get(e, 'addresses')) ? (get(e, 'addresses') as string[]) : [])) : [];
      return ips.length ? ips.join(',') : '<unset>';
    }),
  ],
  Lease: [col('Holder', (o) => String(get(o, 'spec.holderIdentity') ?? ''))],
  ConfigMap: [col('Data', (o) => Object.keys((get(o, 'data') as object | undefined) ?? {}).length, 'integer')],
  Secret: [
    col('Type', (o) => String(get(o, 'type') ?? '')),
    col('Data', (o) => Object.keys((get(o, 'data') as object | undefined) ?? {}).length, 'integer'),
  ],
  Node: [
    col('Status', (o) => {
      const c = get(o, 'status.conditions');
      const r = Array.isArray(c) ? c.find((x) => get(x, 'type') === 'Ready') : undefined;
      return r && get(r, 'status') === 'True' ? 'Ready' : 'NotReady';
    }),
  ],
};

const since = (t: unknown, now: number): string => (typeof t === 'string' && t ? humanDuration((now - Date.parse(t)) / 1000) : '<unknown>');

/** Kinds whose upstream printer does not lead with NAME and end with AGE. */
const fullColumns: Record<string, Column[]> = {
  Event: [
    col('Last Seen', (o, now) => since(get(o, 'lastTimestamp') ?? get(o, 'eventTime') ?? o.metadata.creationTimestamp, now)),
    col('Type', (o) => String(get(o, 'type') ?? '')),
    col('Reason', (o) => String(get(o, 'reason') ?? '')),
    col('Object', (o) => `${String(get(o, 'involvedObject.kind') ?? '').toLowerCase()}/${String(get(o, 'involvedObject.name') ?? '')}`),
    col('Message', (o) => String(get(o, 'message') ?? '')),
    col('Count', (o) => Number(get(o, 'count') ?? 1), 'integer', 1),
    { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 1, value: (o) => o.metadata.name ?? '' },
  ],
};

/** Whether the client asked for server-side printing (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

/** A meta.k8s.io/v1 Table of `objects`; rows carry PartialObjectMetadata unless includeObject=Object|None. */
export function toTable(d: ResourceDescriptor, objects: KubeObject[], rv: string, includeObject: string | null): Record<string, unknown> {
  const now = Date.now();
  const cols: Column[] = fullColumns[d.kind] ?? [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
      value: (o) => o.metadata.name ?? '',
    },
    ...(d.columns
      ? d.columns.map((c) => ({
          name: c.name,
          type: c.type === 'date' ? 'date' : c.type,
          description: c.description ?? c.name,
          priority: c.priority ?? 0,
          // Like upstream's CRD table convertor, date columns print as an age.
          value:
            c.type === 'date'
              ? (o: KubeObject, now: number) => {
                  const v = c.value(o);
                  return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? humanDuration((now - Date.parse(v)) / 1000) : v;
                }
              : c.value,
        }))
      : [...(columns[d.kind] ?? []), { name: 'Age', type: 'string', description: 'CreationTimestamp', priority: 0, value: age }]),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: cols.map(({ value: _v, ...c }) => ({ format: '', ...c })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.value(o, now)),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? o
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

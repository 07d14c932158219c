import { BatonError } from '../errors.js';
import type { KubeObject } from './kube-object.js';

/**
 * Fields a Kubernetes API server knows only from some minor on. An older server's strict decoder
 * refuses them ("strict decoding error: unknown field ..."), so baton refuses such a manifest at
 * plan time, before anything changes, and says what to write instead. One entry per field: adding
 * a field adds a line here, not a branch elsewhere.
 */
interface NewField {
  /** Where, relative to the object it lives on. */
  where: 'container' | 'podSpec' | 'jobSpec' | 'serviceSpec' | 'volumeMount';
  /** Dotted path below that object. */
  path: string;
  /** First minor (1.x) whose API has it. */
  since: number;
  fix: string;
}

const newFields: readonly NewField[] = [
  {
    where: 'container',
    path: 'lifecycle.preStop.sleep',
    since: 30,
    fix: 'use `preStop: { exec: { command: ["sleep", "N"] } }` (the image needs a sleep binary)',
  },
  {
    where: 'container',
    path: 'lifecycle.postStart.sleep',
    since: 30,
    fix: 'use `postStart: { exec: { command: ["sleep", "N"] } }` (the image needs a sleep binary)',
  },
  {
    where: 'container',
    path: 'restartPolicy',
    since: 28,
    fix: 'run the sidecar as an ordinary container, or drop restartPolicy from the init container',
  },
  { where: 'container', path: 'resizePolicy', since: 27, fix: 'remove resizePolicy' },
  { where: 'volumeMount', path: 'recursiveReadOnly', since: 30, fix: 'remove recursiveReadOnly (readOnly alone is not recursive)' },
  { where: 'podSpec', path: 'resources', since: 32, fix: 'set resources per container instead of on the pod' },
  { where: 'jobSpec', path: 'podReplacementPolicy', since: 28, fix: 'remove podReplacementPolicy' },
  { where: 'jobSpec', path: 'backoffLimitPerIndex', since: 28, fix: 'use backoffLimit' },
  { where: 'jobSpec', path: 'maxFailedIndexes', since: 28, fix: 'remove maxFailedIndexes' },
  { where: 'jobSpec', path: 'managedBy', since: 30, fix: 'remove managedBy' },
  { where: 'jobSpec', path: 'successPolicy', since: 30, fix: 'remove successPolicy (completions decides success)' },
  { where: 'serviceSpec', path: 'trafficDistribution', since: 30, fix: 'remove trafficDistribution' },
];

/** One field of one manifest that the server would refuse. */
export interface UnsupportedField {
  /** "Deployment default/demo" */
  object: string;
  /** Full path in upstream's notation: spec.template.spec.containers[0].lifecycle.preStop.sleep */
  field: string;
  /** The minor that brought it: 30 for 1.30. */
  since: number;
  fix: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (o: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);

/** The pod specs of an object with their paths: Pod, workloads with a template, CronJob. */
function podSpecs(o: KubeObject): Array<[string, unknown]> {
  if (o.kind === 'Pod') return [['spec', o['spec']]];
  if (o.kind === 'CronJob') return [['spec.jobTemplate.spec.template.spec', at(o, ['spec', 'jobTemplate', 'spec', 'template', 'spec'])]];
  const t = at(o, ['spec', 'template', 'spec']);
  return t === undefined ? [] : [['spec.template.spec', t]];
}

function jobSpecs(o: KubeObject): Array<[string, unknown]> {
  if (o.kind === 'Job') return [['spec', o['spec']]];
  if (o.kind === 'CronJob') return [['spec.jobTemplate.spec', at(o, ['spec', 'jobTemplate', 'spec'])]];
  return [];
}

/** Every place of each kind of owner in one object, as [path, value]. */
function places(o: KubeObject): Record<NewField['where'], Array<[string, unknown]>> {
  const pods = podSpecs(o);
  const containers = pods.flatMap(([p, spec]) =>
    ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => {
      const list = isObj(spec) ? spec[k] : undefined;
      return Array.isArray(list) ? list.map((c, i): [string, unknown] => [`${p}.${k}[${i}]`, c]) : [];
    }),
  );
  const mounts = containers.flatMap(([p, c]) => {
    const list = isObj(c) ? c['volumeMounts'] : undefined;
    return Array.isArray(list) ? list.map((m, i): [string, unknown] => [`${p}.volumeMounts[${i}]`, m]) : [];
  });
  return {
    podSpec: pods,
    container: containers,
    volumeMount: mounts,
    jobSpec: jobSpecs(o),
    serviceSpec: o.kind === 'Service' ? [['spec', o['spec']]] : [],
  };
}

/** The fields of `manifests` that a server of Kubernetes 1.`minor` does not know. Pure. */
export function unsupportedFields(manifests: readonly KubeObject[], minor: number): UnsupportedField[] {
  const out: UnsupportedField[] = [];
  for (const o of manifests) {
    const name = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    const where = places(o);
    for (const f of newFields) {
      if (minor >= f.since) continue;
      for (const [p, value] of where[f.where]) {
        if (at(value, f.path.split('.')) !== undefined) out.push({ object: name, field: `${p}.${f.path}`, since: f.since, fix: f.fix });
      }
    }
  }
  return out;
}

/** The minor of a /version gitVersion ("v1.26.5" -> 26); undefined when it is not 1.x. */
export function minorOf(gitVersion: string): number | undefined {
  const m = /^v?1\.(\d+)/.exec(gitVersion);
  return m ? Number(m[1]) : undefined;
}

/**
 * Throws MANIFEST_UNSUPPORTED_BY_SERVER (exit 2, nothing changed) when the server of `gitVersion`
 * would refuse a field of the manifests, naming each field and its fix.
 */
export function assertServerAccepts(manifests: readonly KubeObject[], gitVersion: string, server = 'the cluster'): void {
  const minor = minorOf(gitVersion);
  if (minor === undefined) return;
  const problems = unsupportedFields(manifests, minor);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  ${p.object}: ${p.field} exists from Kubernetes 1.${p.since}; ${p.fix}`);
  throw new BatonError(
    'MANIFEST_UNSUPPORTED_BY_SERVER',
    `${server} runs Kubernetes ${gitVersion}, which would refuse ${problems.length === 1 ? 'a field' : `${problems.length} fields`} of the manifests:\n${lines.join('\n')}`,
    { hint: 'change the manifests as said above (or upgrade the cluster), then run baton plan again; nothing was changed' },
  );
}

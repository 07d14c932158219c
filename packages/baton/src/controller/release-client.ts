import { randomBytes } from 'node:crypto';
import { BatonError } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { KubeClient } from '../kube/kube-client.js';
import { KubeApiError } from '../kube/kube-errors.js';
import { controllerPresence, howToCheckController } from './controller-presence.js';
import type { LoadedSpec } from '../spec/load-spec.js';
import { isFinalPhase, releaseApiVersion, releaseKind, appLabel, type Release, type ReleaseControl } from './release.js';
import { collectInputs, inputConfigMaps } from './release-inputs.js';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * The CLI's side of the controller: pack a spec's files into content-hashed ConfigMaps, create
 * the Release, ask for promote/abort/pause/retry with status merge patches, follow a Release.
 */
export async function createRelease(kube: KubeClient, loaded: LoadedSpec, o: { name?: string } = {}): Promise<Release> {
  const { spec } = loaded;
  const files = await collectInputs(loaded);
  const { objects, refs } = inputConfigMaps(spec.app, spec.namespace, files);
  for (const cm of objects) {
    try {
      await kube.create(cm);
    } catch (error) {
      // Same name means same content (the name is the hash): already there is fine.
      if (!(error as { conflict?: boolean }).conflict) throw error;
    }
  }
  const upgrade = parse(await readFile(loaded.file, 'utf8')) as JsonObject;
  const name =
    o.name ?? `${spec.app}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '').slice(2)}-${randomBytes(2).toString('hex')}`;
  try {
    return await kube.create<Release>({
      apiVersion: releaseApiVersion,
      kind: 'Release',
      metadata: { name, namespace: spec.namespace, labels: { [appLabel]: spec.app, 'app.kubernetes.io/managed-by': 'baton' } },
      spec: { upgrade, inputs: refs },
    });
  } catch (error) {
    if ((error as { status?: number }).status === 404) throw notInstalled(error);
    throw error;
  }
}

/** A Release by name; RUN_NOT_FOUND (naming the namespace and how to list) when there is none. */
export async function getRelease(kube: KubeClient, namespace: string, name: string): Promise<Release> {
  const release = await kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name, namespace });
  if (release === undefined) {
    await listReleases(kube, namespace); // throws CONTROLLER_NOT_INSTALLED when the kind is not served
    throw new BatonError('RUN_NOT_FOUND', `no Release ${name} in namespace ${namespace}`, {
      hint: `list them with: baton releases --in-cluster -n ${namespace} (or kubectl get releases -A)`,
    });
  }
  return release;
}

/** The newest Release of the namespace (of `app`, if given); RUN_NOT_FOUND when there is none. */
export async function newestRelease(kube: KubeClient, namespace: string, app?: string): Promise<Release> {
  const newest = (await listReleases(kube, namespace, app))[0];
  if (newest === undefined)
    throw new BatonError('RUN_NOT_FOUND', `no Releases${app ? ` of app ${app}` : ''} in namespace ${namespace}`, {
      hint: 'create one with: baton upgrade --in-cluster (or pass -n NAMESPACE)',
    });
  return newest;
}

/** Releases, newest first. CONTROLLER_NOT_INSTALLED when the cluster does not serve the kind. */
export async function listReleases(kube: KubeClient, namespace: string | undefined, app?: string): Promise<Release[]> {
  try {
    const { items } = await kube.list<Release>({
      apiVersion: releaseApiVersion,
      kind: 'Release',
      ...(namespace ? { namespace } : {}),
      ...(app ? { labelSelector: `${appLabel}=${app}` } : {}),
    });
    return items.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  } catch (error) {
    if (error instanceof KubeApiError && error.notFound) throw notInstalled(error);
    throw error;
  }
}

/** The human requests a Release takes, as the CLI names them. */
export type ControlVerb = 'promote' | 'abort' | 'pause' | 'resume' | 'retry';

/**
 * A merge patch of status.control: GitOps syncs of the spec never revert it. Refused, before
 * anything is written, when the request cannot apply to the Release as it stands (finished,
 * promote when nothing is paused, retry when nothing halted) or when no controller leads (the
 * request would sit unread). `presence` is skipped when the Lease cannot be read.
 */
export async function requestControl(
  kube: KubeClient,
  namespace: string,
  name: string,
  control: ReleaseControl,
  o: { verb?: ControlVerb } = {},
): Promise<Release> {
  const release = await getRelease(kube, namespace, name);
  assertControlApplies(release, o.verb ?? verbOf(control));
  const presence = await controllerPresence(kube);
  if (presence.kind === 'absent') {
    throw new BatonError(
      'CONTROLLER_NOT_RUNNING',
      `no baton controller is running, so nothing would act on the request: ${presence.why}; nothing was written`,
      { hint: howToCheckController() },
    );
  }
  return kube.customResources().mergePatchStatus<Release>(releaseKind, namespace, name, { status: { control } });
}

/** Throws (exit 2) what the request cannot do to the Release in its phase, and what can. */
export function assertControlApplies(release: Release, verb: ControlVerb): void {
  const id = `${release.metadata.namespace ?? 'default'}/${release.metadata.name}`;
  const phase = release.status?.phase ?? 'Pending';
  if (isFinalPhase(phase)) {
    throw new BatonError(
      'RUN_FINISHED',
      `Release ${id} already ended ${phase}${release.status?.message ? ` (${release.status.message.split('\n')[0]})` : ''}; there is nothing to ${verb}`,
      {
        hint:
          phase === 'Succeeded'
            ? `go back with: baton rollback release/${release.metadata.name}`
            : 'start a new one with: baton upgrade --in-cluster',
      },
    );
  }
  if (verb === 'promote' && phase !== 'Paused') {
    throw new BatonError('NOT_PAUSED', `Release ${id} is ${phase}, not paused at a step: there is nothing to promote`, {
      hint: `follow it with: baton status release/${release.metadata.name} --watch`,
    });
  }
  if (verb === 'retry' && phase !== 'Halted') {
    throw new BatonError(
      'NOT_HALTED',
      `Release ${id} is ${phase}: only a Halted Release (a step failed after the point of no return) can be retried`,
      { hint: `see why with: baton status release/${release.metadata.name}` },
    );
  }
}

function verbOf(control: ReleaseControl): ControlVerb {
  if (control.abort === true) return 'abort';
  if (control.promote === true) return 'promote';
  if (control.retry === true) return 'retry';
  return control.pause === false ? 'resume' : 'pause';
}

/**
 * A new Release that returns the app to an earlier version: the named Release's spec and input
 * ConfigMaps, with the image (and version, when the spec names one) of `to`. The controller runs
 * it like any Release, under its probe: a roll forward to the old image, as
 * `kubectl argo rollouts undo` does.
 */
export async function createRollbackRelease(
  kube: KubeClient,
  from: Release,
  to: { version: string; image: string },
  o: { name?: string } = {},
): Promise<Release> {
  const namespace = from.metadata.namespace ?? kube.defaultNamespace;
  const upgrade: JsonObject = { ...from.spec.upgrade, image: { ...imageOf(from.spec.upgrade), ref: to.image } };
  if (typeof upgrade.version === 'string') upgrade.version = to.version;
  const app = String(from.spec.upgrade.app ?? from.metadata.name);
  const name = o.name ?? `${from.metadata.name}-rollback-${randomBytes(2).toString('hex')}`.slice(0, 63);
  return kube.create<Release>({
    apiVersion: releaseApiVersion,
    kind: 'Release',
    metadata: {
      name,
      namespace,
      labels: { [appLabel]: app, 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/rollback-of': from.metadata.name },
    },
    spec: { upgrade, inputs: from.spec.inputs },
  });
}

function imageOf(upgrade: JsonObject): JsonObject {
  const image = upgrade.image;
  return typeof image === 'object' && image !== null && !Array.isArray(image) ? image : {};
}

function notInstalled(cause: unknown): BatonError {
  return new BatonError(
    'CONTROLLER_NOT_INSTALLED',
    `the cluster does not serve Releases (baton.dev/v1alpha1): baton's controller is not installed`,
    { cause, hint: 'install it with `kubectl apply -k config/` or `baton install --apply`, or run without --in-cluster' },
  );
}

/**
 * Calls `onChange` with each new state of the Release until it rests (final, paused, halted,
 * invalid; or until `settled` says so) or `signal` aborts; resolves with the last state seen.
 */
export async function followRelease(
  kube: KubeClient,
  namespace: string,
  name: string,
  onChange: (release: Release) => void,
  signal: AbortSignal,
  o: { settled?: (release: Release) => boolean } = {},
): Promise<Release> {
  const settled = o.settled ?? isResting;
  let last: Release | undefined;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await kube.customResources().watch<Release>(releaseKind, {
      namespace,
      signal: stop.signal,
      onEvent: ({ object }) => {
        if (object.metadata.name !== name) return;
        if (last?.metadata.resourceVersion === object.metadata.resourceVersion) return;
        last = object;
        onChange(object);
        if (settled(object)) stop.abort();
      },
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return last ?? (await getRelease(kube, namespace, name));
}

export function isResting(release: Release): boolean {
  const phase = release.status?.phase;
  return isFinalPhase(phase) || phase === 'Paused' || phase === 'Halted';
}

/**
 * After a control request (`requested`: the Release as the patch left it): follows the Release
 * until the controller took the request (cleared it in status.control), acted (its phase or steps
 * changed: the controller clears a request before acting, so a cleared one alone says little) and
 * the Release rests again. CONTROLLER_NOT_ACTING when nothing took it within `ackTimeoutMs`
 * (default 30 s); the request stays in status.control for when a controller runs.
 */
export async function awaitControl(
  kube: KubeClient,
  requested: Release,
  verb: 'promote' | 'abort' | 'retry',
  o: { signal: AbortSignal; onChange?: (release: Release) => void; ackTimeoutMs?: number },
): Promise<Release> {
  const namespace = requested.metadata.namespace ?? kube.defaultNamespace;
  const { name } = requested.metadata;
  const before = fingerprint(requested);
  const taken = (r: Release) => r.status?.control?.[verb] !== true;
  let acknowledged = false;
  const noAck = new AbortController();
  const timer = setTimeout(() => {
    if (!acknowledged) noAck.abort();
  }, o.ackTimeoutMs ?? 30_000);
  const signal = AbortSignal.any([o.signal, noAck.signal]);
  try {
    const last = await followRelease(
      kube,
      namespace,
      name,
      (r) => {
        acknowledged ||= taken(r);
        o.onChange?.(r);
      },
      signal,
      {
        settled: (r) => taken(r) && isResting(r) && fingerprint(r) !== before,
      },
    );
    if (!acknowledged && noAck.signal.aborted) {
      const presence = await controllerPresence(kube);
      const why = presence.kind === 'leading' ? `the leader ${presence.holder} has not acted on it` : presence.why;
      throw new BatonError(
        'CONTROLLER_NOT_ACTING',
        `asked Release ${namespace}/${name} to ${verb}, but after ${Math.round((o.ackTimeoutMs ?? 30_000) / 1000)} s ${why}; the request stays in status.control and is acted on when a controller leads`,
        { hint: howToCheckController() },
      );
    }
    return last;
  } finally {
    clearTimeout(timer);
  }
}

/** What changes when the controller acts on a Release: its phase and its steps' states and times. */
function fingerprint(release: Release): string {
  return JSON.stringify([release.status?.phase, release.status?.steps?.map((s) => [s.state, s.startedAt, s.finishedAt])]);
}

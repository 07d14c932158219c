import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically, type VolumeFile } from './atomic-writer.js';
import { fieldRefValue } from './container-env.js';
import type { KubeClient } from './kube-client.js';
import type { BindMount } from './mount-namespace.js';
import type { Container, Pod } from './pod-types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface PodVolumeDeps {
  client: KubeClient;
  /** Where this node keeps volume contents (pods/UID/volumes/NAME), 0700 on the host. */
  podsDir: string;
  podIP: string;
  hostIP: string;
}

/** Why volume set-up failed: the kubelet's FailedMount event text. */
export class MountError extends Error {}

/** The kubelet's token manager refreshes a projected token once 80% of its lifetime has passed. */
const refreshFraction = 0.8;
/** The kubelet re-reads ConfigMap/Secret volumes on its sync period (1 minute). */
const resyncMs = 60_000;

/**
 * A pod's volumes on this node: emptyDir, configMap, secret, downwardAPI, projected
 * (serviceAccountToken through the TokenRequest API, bound to the pod; configMap; secret;
 * downwardAPI) and hostPath, written with the kubelet's atomic-writer layout, kept current
 * (tokens refreshed, ConfigMap/Secret changes picked up every minute), and bind-mounted at each
 * container's mountPath. Secret material is written without world-readable bits.
 */
export class PodVolumes {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly dir: string;

  constructor(
    private pod: Pod,
    private readonly d: PodVolumeDeps,
  ) {
    this.dir = join(d.podsDir, pod.metadata.uid ?? pod.metadata.name);
  }

  private get volumes(): Obj[] {
    return list(this.pod.spec.volumes);
  }
  private get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }

  update(pod: Pod): void {
    this.pod = pod;
  }

  /** Writes every volume; throws MountError for the first that cannot be set up (retried by the caller). */
  async setUp(): Promise<void> {
    let nextMs = resyncMs;
    for (const v of this.volumes) {
      const name = str(v['name']);
      const root = join(this.dir, 'volumes', name);
      if (isObj(v['emptyDir'])) {
        await mkdir(root, { recursive: true, mode: 0o777 });
        continue;
      }
      if (isObj(v['hostPath'])) continue;
      const r = await this.filesOf(v, name);
      if (r === undefined) continue;
      await writeAtomically(root, r.files);
      if (r.tokenTtlMs !== undefined) nextMs = Math.min(nextMs, r.tokenTtlMs * refreshFraction);
    }
    this.schedule(nextMs);
  }

  /** The bind mounts of one container (volumes it mounts that this node materializes). */
  mountsFor(c: Container): BindMount[] {
    const out: BindMount[] = [];
    for (const m of list(c.volumeMounts)) {
      const v = this.volumes.find((x) => x['name'] === m['name']);
      if (!v) continue;
      const hostPath = isObj(v['hostPath']) ? str(v['hostPath']['path']) : undefined;
      const known = hostPath !== undefined || ['emptyDir', 'configMap', 'secret', 'downwardAPI', 'projected'].some((k) => isObj(v[k]));
      if (!known) continue;
      const base = hostPath ?? join(this.dir, 'volumes', str(v['name']));
      const sub = str(m['subPath']);
      out.push({ source: sub ? join(base, sub) : base, target: str(m['mountPath']), readOnly: m['readOnly'] === true });
    }
    return out;
  }

  async cleanUp(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        void this.setUp().catch(() => this.schedule(10_000));
      },
      Math.max(1000, ms),
    );
    this.timer.unref();
  }

  private async filesOf(v: Obj, name: string): Promise<{ files: VolumeFile[]; tokenTtlMs?: number } | undefined> {
    const mode = (m: unknown, dflt: unknown): number => (typeof m === 'number' ? m : typeof dflt === 'number' ? dflt : 0o644);
    const secretMode = (m: number): number => m & ~0o007;
    if (isObj(v['configMap'])) {
      const cm = v['configMap'];
      return { files: await this.keyFiles('configmaps', str(cm['name']), cm, mode(undefined, cm['defaultMode']), name) };
    }
    if (isObj(v['secret'])) {
      const s = v['secret'];
      return {
        files: (await this.keyFiles('secrets', str(s['secretName']), s, mode(undefined, s['defaultMode']), name)).map((f) => ({
          ...f,
          mode: secretMode(f.mode),
        })),
      };
    }
    if (isObj(v['downwardAPI'])) {
      const da = v['downwardAPI'];
      return { files: this.downwardFiles(list(da['items']), mode(undefined, da['defaultMode'])) };
    }
    if (isObj(v['projected'])) {
      const p = v['projected'];
      const dflt = mode(undefined, p['defaultMode']);
      const files: VolumeFile[] = [];
      let tokenTtlMs: number | undefined;
      for (const src of list(p['sources'])) {
        if (isObj(src['serviceAccountToken'])) {
          const t = src['serviceAccountToken'];
          const { token, ttlMs } = await this.requestToken(t, name);
          tokenTtlMs = Math.min(tokenTtlMs ?? Infinity, ttlMs);
          files.push({ path: str(t['path']) || 'token', content: Buffer.from(token), mode: secretMode(dflt) });
        } else if (isObj(src['configMap'])) {
          files.push(...(await this.keyFiles('configmaps', str(src['configMap']['name']), src['configMap'], dflt, name)));
        } else if (isObj(src['secret'])) {
          files.push(
            ...(await this.keyFiles('secrets', str(src['secret']['name']), src['secret'], dflt, name)).map((f) => ({
              ...f,
              mode: secretMode(f.mode),
            })),
          );
        } else if (isObj(src['downwardAPI'])) {
          files.push(...this.downwardFiles(list(src['downwardAPI']['items']), dflt));
        }
      }
      return { files, ...(tokenTtlMs !== undefined ? { tokenTtlMs } : {}) };
    }
    return undefined;
  }

  /** ConfigMap/Secret keys as files: all keys, or the listed items (key -> path, per-item mode). */
  private async keyFiles(kind: 'configmaps' | 'secrets', objName: string, src: Obj, dflt: number, volume: string): Promise<VolumeFile[]> {
    const r = await this.d.client.request<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${this.namespace}/${kind}/${encodeURIComponent(objName)}`,
    );
    const optional = src['optional'] === true;
    const what = kind === 'configmaps' ? 'configmap' : 'secret';
    if (r.status === 404) {
      if (optional) return [];
      throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : ${what} "${objName}" not found`);
    }
    if (r.status >= 300 || !r.body)
      throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : reading ${what} "${objName}": HTTP ${r.status}`);
    const data = new Map<string, Buffer>();
    for (const [k, val] of Object.entries(r.body.data ?? {}))
      data.set(k, kind === 'secrets' ? Buffer.from(val, 'base64') : Buffer.from(val));
    for (const [k, val] of Object.entries(r.body.binaryData ?? {})) data.set(k, Buffer.from(val, 'base64'));
    const items = list(src['items']);
    if (items.length === 0) return [...data].map(([k, content]) => ({ path: k, content, mode: dflt }));
    const out: VolumeFile[] = [];
    for (const it of items) {
      const content = data.get(str(it['key']));
      if (!content) {
        if (optional) continue;
        throw new MountError(
          `MountVolume.SetUp failed for volume "${volume}" : configmap references non-existent config key: ${str(it['key'])}`,
        );
      }
      out.push({ path: str(it['path']), content, mode: typeof it['mode'] === 'number' ? it['mode'] : dflt });
    }
    return out;
  }

  private downwardFiles(items: Obj[], dflt: number): VolumeFile[] {
    return items.map((it) => {
      const ref = isObj(it['fieldRef']) ? str(it['fieldRef']['fieldPath']) : '';
      let value = '0'; // resourceFieldRef: kubesim models no resources
      if (ref === 'metadata.labels' || ref === 'metadata.annotations') {
        const m = (ref === 'metadata.labels' ? this.pod.metadata.labels : this.pod.metadata.annotations) ?? {};
        value = Object.keys(m)
          .sort()
          .map((k) => `${k}="${m[k]}"`)
          .join('\n');
      } else if (ref) {
        const v = fieldRefValue(this.pod, ref, this.d.podIP, this.d.hostIP);
        value = typeof v === 'string' ? v : '';
      }
      return { path: str(it['path']), content: Buffer.from(value), mode: typeof it['mode'] === 'number' ? it['mode'] : dflt };
    });
  }

  /** A token for the pod's service account, bound to the pod, as the kubelet's token manager asks for it. */
  private async requestToken(t: Obj, volume: string): Promise<{ token: string; ttlMs: number }> {
    const sa = this.pod.spec.serviceAccountName ?? 'default';
    const expirationSeconds = typeof t['expirationSeconds'] === 'number' ? t['expirationSeconds'] : 3600;
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(str(t['audience']) ? { audiences: [str(t['audience'])] } : {}),
        expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: this.pod.metadata.name, uid: this.pod.metadata.uid },
      },
    };
    const r = await this.d.client.request<{ status?: { token?: string; expirationTimestamp?: string }; message?: string }>(
      'POST',
      `/api/v1/namespaces/${this.namespace}/serviceaccounts/${encodeURIComponent(sa)}/token`,
      body,
    );
    const token = r.body?.status?.token;
    if (r.status !== 201 || !token) {
      throw new MountError(
        `MountVolume.SetUp failed for volume "${volume}" : failed to fetch token: ${r.body?.message ?? `HTTP ${r.status}`}`,
      );
    }
    const exp = Date.parse(r.body?.status?.expirationTimestamp ?? '');
    return { token, ttlMs: Number.isFinite(exp) ? Math.max(0, exp - Date.now()) : expirationSeconds * 1000 };
  }
}

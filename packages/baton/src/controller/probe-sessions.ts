import { startProbe, type Probe } from '../probe/probe.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ProbeSpec } from '../spec/schema.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ProbeSegment, ProbeStatus, Release } from './release.js';

interface Session {
  probe: Probe;
  segment: ProbeSegment;
  target: string;
}
interface RecordConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/**
 * The traffic probe of each running Release, in this controller process (so ClusterIPs,
 * in-cluster Prometheus and hooks are reachable). A new leader starts a new segment; the status
 * keeps every segment's counters, so the figures add up across a failover. Each stopped segment's
 * full record goes to a ConfigMap `baton-probe-<release>` for the report.
 */
export class ProbeSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly kube: KubeClient,
    private readonly holder: string,
  ) {}

  has(uid: string): boolean {
    return this.sessions.has(uid);
  }

  get(uid: string): Probe | undefined {
    return this.sessions.get(uid)?.probe;
  }

  async start(uid: string, target: string, spec: ProbeSpec): Promise<Probe> {
    const existing = this.sessions.get(uid);
    if (existing !== undefined) return existing.probe;
    const probe = await startProbe({
      url: target,
      path: spec.path,
      rps: spec.rps,
      versionHeader: spec.versionHeader,
      ...(spec.streams ? { streams: spec.streams } : {}),
      ...(spec.sse ? { sse: spec.sse } : {}),
      ...(spec.websockets ? { websockets: spec.websockets } : {}),
      ...(spec.writes ? { writes: spec.writes } : {}),
    });
    const segment: ProbeSegment = {
      holder: this.holder,
      startedAt: new Date().toISOString(),
      requests: 0,
      failed: 0,
      streamsStarted: 0,
      streamsCut: 0,
      byVersion: {},
    };
    this.sessions.set(uid, { probe, segment, target });
    return probe;
  }

  /** Status counters: the earlier segments as the status recorded them, plus this one live. */
  status(uid: string, previous: ProbeStatus | undefined, target: string | undefined): ProbeStatus | undefined {
    const session = this.sessions.get(uid);
    const segments = [...(previous?.segments ?? [])];
    if (session !== undefined) {
      const s = session.probe.stats();
      const live: ProbeSegment = {
        ...session.segment,
        requests: s.requests,
        failed: s.failed,
        streamsStarted: s.streamsStarted,
        streamsCut: s.streamsCut,
        byVersion: s.byVersion,
      };
      const at = segments.findIndex((x) => x.holder === live.holder && x.startedAt === live.startedAt);
      if (at >= 0) segments[at] = { ...segments[at], ...live };
      else segments.push(live);
    }
    if (segments.length === 0) return previous;
    const sum = (f: (x: ProbeSegment) => number) => segments.reduce((acc, x) => acc + f(x), 0);
    const byVersion: Record<string, number> = {};
    for (const x of segments) for (const [v, n] of Object.entries(x.byVersion)) byVersion[v] = (byVersion[v] ?? 0) + n;
    const out: ProbeStatus = {
      target: session?.target ?? target ?? previous?.target ?? '',
      requests: sum((x) => x.requests),
      failed: sum((x) => x.failed),
      streamsStarted: sum((x) => x.streamsStarted),
      streamsCut: sum((x) => x.streamsCut),
      writes: sum((x) => x.writes ?? 0),
      lostWrites: sum((x) => x.lostWrites ?? 0),
      byVersion,
      segments,
    };
    if (previous?.recordRef !== undefined) out.recordRef = previous.recordRef;
    return out;
  }

  /** Stops this Release's probe, stores the segment's record and returns the final counters. */
  async stop(release: Release, previous: ProbeStatus | undefined): Promise<ProbeStatus | undefined> {
    const uid = release.metadata.uid ?? release.metadata.name;
    const session = this.sessions.get(uid);
    if (session === undefined) return previous;
    const before = this.status(uid, previous, undefined);
    this.sessions.delete(uid);
    const record = await session.probe.stop();
    const segments = (before?.segments ?? []).map((x) =>
      x.holder === session.segment.holder && x.startedAt === session.segment.startedAt ? finalSegment(x, record) : x,
    );
    const name = await this.saveRecord(release, session.segment, record);
    const totals = this.status('', { ...(before ?? emptyStatus(session.target)), segments }, session.target);
    return totals === undefined ? undefined : { ...totals, recordRef: { configMap: name } };
  }

  /** Stops every probe without recording (leadership lost: the next leader carries on). */
  async abandonAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.probe.stop().catch(() => undefined)));
  }

  private async saveRecord(release: Release, segment: ProbeSegment, record: ProbeRecord): Promise<string> {
    const namespace = release.metadata.namespace ?? 'default';
    const name = `baton-probe-${release.metadata.name}`.slice(0, 253);
    const key = `segment-${Date.parse(segment.startedAt)}.json`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const live = await this.kube.get<RecordConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace });
      const data = { ...(live?.data ?? {}), [key]: JSON.stringify(record) };
      try {
        if (live === undefined) {
          await this.kube.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name,
              namespace,
              labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/release': release.metadata.name },
              ownerReferences: owner(release),
            },
            data,
          });
        } else await this.kube.replace({ ...live, data });
        return name;
      } catch (error) {
        if ((error as { conflict?: boolean }).conflict) continue;
        throw error;
      }
    }
    return name;
  }
}

function finalSegment(segment: ProbeSegment, record: ProbeRecord): ProbeSegment {
  const out: ProbeSegment = {
    ...segment,
    requests: record.requests.total,
    failed: record.requests.failed,
    streamsStarted: record.streams?.started ?? segment.streamsStarted,
    streamsCut: record.streams?.cut ?? segment.streamsCut,
  };
  if (record.writes !== null) {
    out.writes = record.writes.attempted;
    out.lostWrites = record.writes.lost;
  }
  return out;
}

function emptyStatus(target: string): ProbeStatus {
  return { target, requests: 0, failed: 0, streamsStarted: 0, streamsCut: 0, writes: 0, lostWrites: 0, byVersion: {}, segments: [] };
}

export function owner(release: Release): Array<{ apiVersion: string; kind: string; name: string; uid: string }> {
  return release.metadata.uid === undefined
    ? []
    : [{ apiVersion: release.apiVersion, kind: 'Release', name: release.metadata.name, uid: release.metadata.uid }];
}

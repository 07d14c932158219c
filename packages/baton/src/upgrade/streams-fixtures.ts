import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { demoManifests } from '../testing/demo-cluster.js';

/**
 * What the long-lived-connection e2e tests share. CI keeps them short: a download of
 * STREAM_SECONDS (default 25) on pods whose grace period is 10 s; `npm run bench -- streams-bench`
 * runs the 120 s download with a 30 s grace period beside a naive `kubectl set image`.
 */
export const STREAM_SECONDS = Number(process.env.BATON_E2E_STREAM_SECONDS ?? 25);
export const GRACE_SECONDS = 10;

/** demo-app with a grace period shorter than its downloads: only a drain by evidence keeps them. */
export function streamManifests(image: string): KubeObject[] {
  const objects = demoManifests({ image, replicas: 2 });
  for (const o of objects) {
    if (o.kind === 'ConfigMap')
      (o as KubeObject & { data: Record<string, string> }).data = { DRAIN_TIMEOUT_MS: String((GRACE_SECONDS - 3) * 1000) };
    if (o.kind === 'Deployment')
      (o.spec as { template: { spec: Record<string, unknown> } }).template.spec.terminationGracePeriodSeconds = GRACE_SECONDS;
  }
  return objects;
}

/** A sound drain by evidence for streams up to `maxStreamSeconds`, on demo-app's own metric. */
export const streamDrain = (maxStreamSeconds: number) => ({
  deadlineSeconds: maxStreamSeconds + 40,
  settleSeconds: 2,
  maxStreamSeconds,
  connections: { port: 'http', path: '/metrics', metric: 'demo_open_streams' },
  nudge: { path: '/admin/drain' },
});

/** Every stream kind: nothing cut abruptly, nothing lost, every graceful close resumed. */
export function assertNoListenerDropped(p: ProbeRecord | undefined): void {
  assert.ok(p?.streams && p.sse && p.websockets, 'the probe watched downloads, SSE and WebSockets');
  assert.equal(p.streams.cut, 0, `downloads cut: ${JSON.stringify(p.streams.cuts.kept)}`);
  for (const c of [p.sse, p.websockets]) {
    assert.equal(c.cut, 0, `${c.path} cut abruptly: ${JSON.stringify(c.cuts.kept)}`);
    assert.equal(c.messagesLost, 0, `${c.path}: ${JSON.stringify(c.resumes.kept)}`);
    assert.equal(c.messagesDuplicated, 0);
    assert.equal(c.resumed, c.closedGracefully, `${c.path}: every graceful close was resumed`);
  }
}

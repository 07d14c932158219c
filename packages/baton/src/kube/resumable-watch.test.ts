import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from './kube-errors.js';
import type { KubeObject } from './kube-object.js';
import { isPermanentKubeError, runResumableWatch, type RawWatchEvent, type WatchRestart, type WatchSource } from './resumable-watch.js';

const pod = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', resourceVersion: rv },
});

/** One scripted watch: the events it delivers, then how it ends (no error: the server closed it). */
interface Session {
  events: RawWatchEvent[];
  error?: unknown;
}

/** A source that plays scripted lists and watches and records every call; the last session aborts. */
function scripted(lists: Array<KubeObject[] | Error>, sessions: Session[], stop: AbortController) {
  const calls: string[] = [];
  let listNo = 0;
  let rv = 100;
  const source: WatchSource<KubeObject> = {
    async list() {
      calls.push('list');
      const next = lists[listNo++];
      if (next === undefined) throw new Error('no more lists scripted');
      if (next instanceof Error) throw next;
      rv += 100;
      return { items: next, resourceVersion: String(rv) };
    },
    async watch(from, onEvent, onClose) {
      calls.push(`watch@${from}`);
      const session = sessions.shift();
      setImmediate(() => {
        if (!session) {
          stop.abort();
          return;
        }
        for (const e of session.events) onEvent(e);
        onClose(session.error);
      });
      return { abort() {} };
    },
  };
  return { source, calls };
}

async function run(lists: Array<KubeObject[] | Error>, sessions: Session[], extra: { giveUp?: (e: KubeApiError) => boolean } = {}) {
  const stop = new AbortController();
  const { source, calls } = scripted(lists, sessions, stop);
  const delays: number[] = [];
  const restarts: WatchRestart[] = [];
  const synced: string[][] = [];
  const events: string[] = [];
  const done = runResumableWatch({
    source,
    signal: stop.signal,
    onSync: (items) => synced.push(items.map((i) => i.metadata.name)),
    onEvent: (e) => events.push(`${e.type} ${e.object.metadata.name}`),
    onRestart: (r) => restarts.push(r),
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
  return { done, calls, delays, restarts, synced, events };
}

describe('runResumableWatch', () => {
  it('resumes a closed watch from the last resourceVersion seen (events and bookmarks), without listing again', async () => {
    const r = await run(
      [[pod('a', '150')]],
      [
        {
          events: [
            { type: 'MODIFIED', object: pod('a', '210') },
            { type: 'BOOKMARK', object: { metadata: { resourceVersion: '250' } } },
          ],
        },
        { events: [{ type: 'ADDED', object: pod('b', '260') }] },
      ],
    );
    await r.done;
    assert.deepEqual(r.calls, ['list', 'watch@200', 'watch@250', 'watch@260']);
    assert.deepEqual(r.synced, [['a']]);
    assert.deepEqual(r.events, ['MODIFIED a', 'ADDED b']);
    assert.deepEqual(
      r.restarts.map((x) => x.kind),
      ['resume', 'resume'],
    );
    assert.deepEqual(r.delays, [0, 0], 'a healthy watch that closed is resumed at once');
  });

  it('lists again only after 410 Gone, and the caller gets the fresh set', async () => {
    const r = await run(
      [[pod('a', '150')], [pod('a', '300'), pod('c', '310')]],
      [
        { events: [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }] },
        { events: [{ type: 'DELETED', object: pod('c', '400') }] },
      ],
    );
    await r.done;
    assert.deepEqual(r.calls, ['list', 'watch@200', 'list', 'watch@300', 'watch@400']);
    assert.deepEqual(r.synced, [['a'], ['a', 'c']]);
    assert.equal(r.restarts[0]?.kind, 'relist');
    const gone = r.restarts[0]?.error;
    assert.ok(gone instanceof KubeApiError && gone.status === 410, 'the restart carries the 410');
  });

  it('backs off exponentially while watches fail, and resets after the first event', async () => {
    const broken = { events: [], error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) };
    const r = await run([[]], [broken, broken, broken, broken, { events: [{ type: 'ADDED', object: pod('a', '500') }] }, broken]);
    await r.done;
    assert.deepEqual(r.delays, [200, 400, 800, 1600, 0, 200]);
    assert.ok(r.calls.filter((c) => c === 'list').length === 1, 'network failures resume; they do not re-list');
  });

  it('a watch that closes before its first event counts as a failure, so a server closing every watch is not spun on', async () => {
    const r = await run([[]], [{ events: [] }, { events: [] }, { events: [] }]);
    await r.done;
    assert.deepEqual(r.delays, [200, 400, 800]);
  });

  it('caps the back-off and applies jitter of +/-20%', async () => {
    const broken = { events: [], error: new Error('socket hang up') };
    const stop = new AbortController();
    const { source } = scripted(
      [[]],
      Array.from({ length: 12 }, () => broken),
      stop,
    );
    const delays: number[] = [];
    let n = 0;
    await runResumableWatch({
      source,
      signal: stop.signal,
      onSync() {},
      onEvent() {},
      random: () => (n++ % 2 === 0 ? 0 : 1),
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    assert.equal(Math.max(...delays), 36_000, 'never more than maxMs (30 s) +20%');
    assert.equal(delays[0], 160, '200 ms -20%');
    assert.equal(delays[1], 480, '400 ms +20%');
  });

  it('retries a failing list with back-off, and gives up on a permanent error when asked to', async () => {
    const unavailable = new KubeApiError(503, 'ServiceUnavailable', 'list: the server is shutting down');
    const forbidden = new KubeApiError(403, 'Forbidden', 'list pods: forbidden');
    const retried = await run([unavailable, [pod('a', '1')]], [], { giveUp: isPermanentKubeError });
    await retried.done;
    assert.deepEqual(retried.calls, ['list', 'list', 'watch@200']);
    assert.deepEqual(retried.delays, [200]);
    const refused = await run([forbidden], [], { giveUp: isPermanentKubeError });
    await assert.rejects(refused.done, (e: unknown) => e instanceof KubeApiError && e.status === 403);
  });

  it('opens no watch when the caller has what it waited for from the list (it aborts in onSync)', async () => {
    const stop = new AbortController();
    const { source, calls } = scripted([[pod('a', '1')]], [{ events: [] }], stop);
    await runResumableWatch({ source, signal: stop.signal, onSync: () => stop.abort(), onEvent() {}, sleep: async () => undefined });
    assert.deepEqual(calls, ['list']);
  });

  it('stops at once when aborted by an event (no wait for the server to close the watch)', async () => {
    const stop = new AbortController();
    let opened = 0;
    const source: WatchSource<KubeObject> = {
      list: async () => ({ items: [], resourceVersion: '1' }),
      async watch(_from, onEvent) {
        opened += 1;
        // This server never closes the watch: only the abort ends it.
        setImmediate(() => onEvent({ type: 'ADDED', object: pod('a', '2') }));
        return { abort() {} };
      },
    };
    await runResumableWatch({ source, signal: stop.signal, onSync() {}, onEvent: () => stop.abort(), sleep: async () => undefined });
    assert.equal(opened, 1);
  });
});

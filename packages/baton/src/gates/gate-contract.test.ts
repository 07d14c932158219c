import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { createProbeReader } from '../probe/probe-reader.js';
import { RequestLog, type RequestSample } from '../probe/request-log.js';
import { deadPort } from '../probe/test-servers.js';
import { describeGateContract } from './testing/gate-contract.js';
import { gateFactories } from './index.js';

/** Real local servers: one answering the Prometheus query API with `n` series, one that never answers. */
let api: Server;
let silent: Server;
const held = new Set<Socket>();
let apiUrl = '';
let silentUrl = '';
let dead = '';
const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const before = async (): Promise<void> => {
  api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    // /api/v1/query?query=series_N: N series each worth 1.
    const n = Number(/series_(\d+)/.exec(url.searchParams.get('query') ?? '')?.[1] ?? 0);
    const result = Array.from({ length: n }, (_, i) => ({ metric: { pod: `p${i}` }, value: [Date.now() / 1000, '1'] }));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  silent = createServer(() => undefined);
  silent.on('connection', (s) => {
    held.add(s);
    s.on('close', () => held.delete(s));
  });
  apiUrl = await listen(api);
  silentUrl = await listen(silent);
  dead = `http://127.0.0.1:${await deadPort()}`;
};
const after = async (): Promise<void> => {
  for (const s of held) s.destroy();
  await Promise.all([api, silent].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
};

describeGateContract({
  name: 'http',
  factory: gateFactories.http,
  before,
  after,
  passing: () => ({ config: { kind: 'http', url: `${apiUrl}/health`, json: { path: 'status', equals: 'ok' } } }),
  unreachable: () => ({ config: { kind: 'http', url: `${dead}/health` } }),
  hanging: () => ({ config: { kind: 'http', url: `${silentUrl}/health`, requestTimeoutMs: 30_000 } }),
  tooFewSamples: { skip: 'one answer is the whole sample of an HTTP check' },
});

describeGateContract({
  name: 'prometheus',
  factory: gateFactories.prometheus,
  before,
  after,
  passing: () => ({ config: { kind: 'prometheus', url: apiUrl, query: 'series_3', thresholds: { max: 1 }, minSamples: 3 } }),
  unreachable: () => ({ config: { kind: 'prometheus', url: dead, query: 'series_3', thresholds: { max: 1 } } }),
  hanging: () => ({ config: { kind: 'prometheus', url: silentUrl, query: 'series_3', thresholds: { max: 1 }, requestTimeoutMs: 30_000 } }),
  tooFewSamples: () => ({ config: { kind: 'prometheus', url: apiUrl, query: 'series_2', thresholds: { max: 1 }, minSamples: 3 } }),
});

describeGateContract({
  name: 'job (command)',
  factory: gateFactories.job,
  passing: () => ({ config: { kind: 'job', command: [process.execPath, '-e', 'process.exit(0)'] } }),
  unreachable: () => ({ config: { kind: 'job', command: ['/nonexistent/baton-test-command'] } }),
  hanging: () => ({ config: { kind: 'job', command: [process.execPath, '-e', 'setTimeout(() => {}, 30000)'] } }),
  tooFewSamples: { skip: 'a test run is judged by its exit status, not by samples' },
});

/** Recorded probe traffic: `n` answers, half of them from v2 (the new version). */
function probeOf(samples: RequestSample[]) {
  const log = new RequestLog({ failureCap: 10 });
  for (const s of samples) log.add(s);
  return (signal: AbortSignal) => createTestRunContext({ signal, probe: createProbeReader({ log }) });
}
const now = Date.now();
const answers = (n: number, version: (i: number) => string): RequestSample[] =>
  Array.from({ length: n }, (_, i) => ({
    sentAt: now - 50_000 + i * 5,
    doneAt: now - 50_000 + i * 5 + 2,
    status: 200,
    version: version(i),
    fresh: false,
  }));
const refused = (n: number): RequestSample[] =>
  Array.from({ length: n }, (_, i) => ({
    sentAt: now - 50_000 + i * 5,
    doneAt: now - 50_000 + i * 5 + 1,
    status: null,
    version: null,
    fresh: false,
    failure: { reason: 'refused' as const, message: 'ECONNREFUSED' },
  }));
const probeConfig = { kind: 'probe', version: 'v2', previousVersions: ['v1'], expectedShare: 50 };

describeGateContract({
  name: 'probe budget',
  factory: gateFactories.probe,
  passing: () => ({ config: probeConfig, context: probeOf(answers(1000, (i) => (i % 2 === 0 ? 'v2' : 'v1'))) }),
  unreachable: () => ({ config: probeConfig, context: probeOf(refused(1000)) }),
  hanging: { skip: 'the probe gate reads measurements already taken: it never waits' },
  tooFewSamples: () => ({
    config: { ...probeConfig, expectedShare: 1 },
    context: probeOf(answers(1000, (i) => (i % 100 === 0 ? 'v2' : 'v1'))),
  }),
});

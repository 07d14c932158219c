import { z } from 'zod';
import { connectionMetricSchema } from './connection-metric.js';
import { imageRefPattern } from './image-ref.js';

/**
 * The baton.yaml schema. Every field a user can write is declared here, with a description that
 * the exported JSON Schema carries to editors. Paths are relative to the baton.yaml file.
 */
/** URLs baton sends HTTP requests to: file:, data: and the like would read where no request goes. */
const httpUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//i, 'must be an http:// or https:// URL');

const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 name (a-z, 0-9, "-")')
  .max(63);

const secretRef = z
  .union([
    z.object({ env: z.string().min(1).describe('name of an environment variable holding the value') }).strict(),
    z
      .object({
        secret: z
          .object({ name, key: z.string().min(1) })
          .strict()
          .describe('a Kubernetes Secret key in the app namespace'),
      })
      .strict(),
    z.object({ value: z.string().min(1).describe('the value itself; avoid for passwords') }).strict(),
  ])
  .describe('where a sensitive value comes from: {env}, {secret: {name, key}} or {value}');

export const execHookSchema = z
  .object({
    target: z
      .string()
      .regex(/^(deploy|deployment|pod|po)\/[a-z0-9.-]+$/, 'must look like deploy/NAME or pod/NAME')
      .optional()
      .describe('run in a pod of this Deployment (deploy/NAME) or in this pod (pod/NAME)'),
    release: z.enum(['new', 'old']).optional().describe('run in a pod of the new or the old release'),
    container: z.string().optional(),
    command: z.array(z.string()).min(1).describe('argv; no shell unless you write one'),
  })
  .strict();

const httpHook = z
  .object({
    url: httpUrl.optional(),
    path: z.string().startsWith('/').optional().describe('path on the release under test (preview for blue-green)'),
    expectStatus: z.number().int().min(100).max(599).default(200),
    expectJson: z.record(z.string(), z.unknown()).optional().describe('top-level JSON fields that must be equal'),
  })
  .strict();

export const hookSchema = z
  .object({
    name,
    exec: execHookSchema.optional(),
    http: httpHook.optional(),
    timeoutSeconds: z.number().positive().default(60),
    retries: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((h) => (h.exec === undefined) !== (h.http === undefined), {
    message: 'a hook needs exactly one of exec or http',
  });

const rolling = z
  .object({
    maxSurge: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).default(1),
    maxUnavailable: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).default(0),
    progressDeadlineSeconds: z.number().int().positive().default(300),
  })
  .strict();

const blueGreen = z
  .object({
    previewService: name.optional().describe('default: <service>-preview'),
    scaleDownDelaySeconds: z.number().int().min(0).default(30),
    progressDeadlineSeconds: z.number().int().positive().default(300),
  })
  .strict();

const maintenance = z
  .object({
    env: z
      .record(z.string(), z.string())
      .default({ MAINTENANCE_MODE: '1' })
      .describe('environment that puts the app in maintenance mode (merged into every container)'),
    progressDeadlineSeconds: z.number().int().positive().default(300),
    migrate: z
      .object({ exec: execHookSchema, timeoutSeconds: z.number().positive().default(1800) })
      .strict()
      .optional()
      .describe("the app's own migration command, run in a new pod while in maintenance mode (e.g. ./console core:update --yes)"),
  })
  .strict();

const rainbowTests = z
  .object({
    job: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'a Kubernetes Job spec (template, backoffLimit...) run in the namespace; env BATON_RELEASE and BATON_RELEASE_URL are added to its containers',
      ),
    command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe("argv run where baton runs, with env BATON_RELEASE and BATON_RELEASE_URL (the new release's own Service)"),
    env: z.record(z.string(), z.string()).optional(),
    timeoutSeconds: z.number().positive().default(300),
  })
  .strict()
  .refine((t) => (t.job === undefined) !== (t.command === undefined), { message: 'rainbow.tests needs exactly one of job or command' });

const rainbow = z
  .object({
    progressDeadlineSeconds: z.number().int().positive().default(300),
    tests: rainbowTests.optional().describe('integration tests run against the new release before it is activated; a failure rolls back'),
    gc: z
      .object({
        prometheusUrl: httpUrl
          .optional()
          .describe('the Prometheus HTTP API baton gc queries (with activeTasksQuery); optional when drain.connections is set'),
        activeTasksQuery: z
          .string()
          .min(1)
          .optional()
          .describe(
            'PromQL giving the active tasks of one release; $release is replaced by its id, e.g. sum(demo_active_tasks{release="$release"})',
          ),
        minAge: z
          .string()
          .regex(/^\d+(ms|s|m|h|d)$/, 'a duration like 90s, 30m, 1h, 2d')
          .default('1h')
          .describe('keep an old release at least this long after it stopped being active (for an instant rollback)'),
      })
      .strict()
      .refine((g) => (g.prometheusUrl === undefined) === (g.activeTasksQuery === undefined), {
        message: 'prometheusUrl and activeTasksQuery go together: set both (gc by a Prometheus query) or neither (gc by drain.connections)',
      })
      .optional()
      .describe(
        'when `baton gc` deletes an old release: older than minAge, and every configured evidence reads 0 (the Prometheus active-task query, and drain.connections read from every pod of the release)',
      ),
  })
  .strict();

const analysisStep = z
  .object({
    seconds: z.number().int().positive().describe('judge the probe traffic for this long'),
    maxErrorRate: z.number().min(0).max(1).default(0),
    maxP99Ms: z.number().positive().optional(),
    minRequests: z.number().int().min(1).default(20),
  })
  .strict();

const prometheusStep = z
  .object({
    url: httpUrl.describe('the Prometheus HTTP API'),
    query: z
      .string()
      .min(1)
      .describe(
        'PromQL; {{ release.newSelector }} scopes it to the new version\'s pods (e.g. rate(http_requests_total{code=~"5..",{{ release.newSelector }}}[1m])), also {{ release.previousSelector }}, {{ release.version }}, {{ app }}, {{ namespace }}',
      ),
    thresholds: z.object({ min: z.number().optional(), max: z.number().optional() }).strict(),
    minSamples: z.number().int().min(1).default(1),
    times: z.number().int().min(1).default(3).describe('passing evaluations needed, one per intervalSeconds'),
    intervalSeconds: z.number().int().positive().default(10),
    releaseLabel: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
      .default('baton_dev_release')
      .describe('the label your metrics carry the pod label baton.dev/release under'),
  })
  .strict();

const canaryStep = z.union([
  z.object({ setWeight: z.number().int().min(0).max(100).describe('percent of traffic to the new version') }).strict(),
  z
    .object({ pause: z.object({ seconds: z.number().int().positive().optional() }).strict().describe('{} waits for `baton promote`') })
    .strict(),
  z.object({ analysis: analysisStep.describe('a probe gate: a failure rolls back, all traffic to stable') }).strict(),
  z.object({ prometheus: prometheusStep.describe('a Prometheus gate: a failure rolls back; no data is inconclusive (pause)') }).strict(),
]);

const canary = z
  .object({
    steps: z
      .array(canaryStep)
      .min(1)
      .default([
        { setWeight: 10 },
        { analysis: { seconds: 20, maxErrorRate: 0, minRequests: 20 } },
        { setWeight: 50 },
        { analysis: { seconds: 20, maxErrorRate: 0, minRequests: 20 } },
      ]),
    replicas: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('replicas of the <deployment>-canary Deployment (replica-ratio: derived from the weight)'),
    progressDeadlineSeconds: z.number().int().positive().default(300),
  })
  .strict();

const ab = z
  .object({
    match: z
      .union([
        z.object({ header: z.string().min(1), value: z.string().min(1) }).strict(),
        z.object({ cookie: z.string().min(1).describe('requests with cookie NAME=always') }).strict(),
      ])
      .default({ header: 'x-baton-canary', value: 'always' }),
    pause: z.object({ seconds: z.number().int().positive().optional() }).strict().default({}).describe('{} waits for `baton promote`'),
    analysis: analysisStep.optional(),
    replicas: z.number().int().min(1).default(1),
    progressDeadlineSeconds: z.number().int().positive().default(300),
  })
  .strict();

export const trafficSchema = z
  .object({
    router: z.enum(['service-selector', 'nginx-ingress', 'gateway-api', 'istio', 'replica-ratio']).default('replica-ratio'),
    host: z.string().optional().describe('the host the route serves'),
    path: z.string().startsWith('/').optional(),
    ingress: name.optional().describe('nginx-ingress: the main Ingress; baton writes <ingress>-canary'),
    httpRoute: name.optional().describe('gateway-api: the HTTPRoute baton writes'),
    gateway: name.optional().describe('gateway-api: the Gateway it attaches to'),
    virtualService: name.optional().describe('istio: the VirtualService (and <name>-canary DestinationRule) baton writes'),
    adopt: z.boolean().default(false).describe('take over an existing route object baton did not create'),
  })
  .strict();

export const strategySchema = z
  .object({
    kind: z.enum(['rolling', 'blue-green', 'maintenance', 'rainbow', 'canary', 'ab']).default('rolling'),
    rolling: rolling.prefault({}),
    blueGreen: blueGreen.prefault({}),
    maintenance: maintenance
      .prefault({})
      .describe('the Matomo seed: old version in maintenance mode, new version in maintenance mode, migrate, new version live'),
    rainbow: rainbow
      .prefault({})
      .describe('the Spawn seed: every release its own Deployment, tested, then activated; old ones drain and `baton gc` deletes them'),
    canary: canary
      .prefault({})
      .describe('a <deployment>-canary Deployment takes a growing share of traffic through spec.traffic, judged by probe analysis'),
    ab: ab.prefault({}).describe('requests matching a header or cookie go to the new version only, until `baton promote`'),
  })
  .strict();

export const probeSchema = z
  .object({
    enabled: z.boolean().default(true),
    url: httpUrl.optional().describe('default: the Service ClusterIP (reachable on kubesim)'),
    path: z.string().startsWith('/').default('/'),
    rps: z.number().positive().max(5000).default(200),
    streams: z
      .object({ count: z.number().int().min(0), path: z.string().startsWith('/') })
      .strict()
      .optional(),
    sse: z
      .object({ count: z.number().int().min(0), path: z.string().startsWith('/') })
      .strict()
      .optional(),
    websockets: z
      .object({ count: z.number().int().min(0), path: z.string().startsWith('/') })
      .strict()
      .optional(),
    writes: z
      .object({ path: z.string().startsWith('/'), rps: z.number().positive() })
      .strict()
      .optional(),
    versionHeader: z.string().default('x-app-version'),
    routedShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.2)
      .describe("A/B: share of probe requests sent with the route's header or cookie; the A/B analysis judges their answers"),
    analysis: z
      .object({
        seconds: z.number().int().positive().describe('judge live traffic for this long once the new version takes traffic'),
        maxErrorRate: z.number().min(0).max(1).default(0),
        maxP99Ms: z.number().positive().optional(),
        maxStreamsCut: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe('abrupt cuts of downloads, SSE and WebSocket connections (a graceful close that the client resumes is not a cut)'),
        maxResumeGapMs: z
          .number()
          .positive()
          .optional()
          .describe('longest SSE/WebSocket reconnect gap after a graceful close; unset: not judged'),
        maxMessagesLost: z.number().int().min(0).default(0).describe('SSE/WebSocket messages (by id) clients may miss across reconnects'),
        minRequests: z.number().int().min(1).default(20),
      })
      .strict()
      .optional()
      .describe('a probe gate after the traffic switch: a failure rolls back'),
    budget: z
      .object({
        maxFailedRequests: z.number().int().min(0).default(0),
        maxCutStreams: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe('abrupt cuts (RST, EOF mid-body, no close frame) of downloads, SSE and WebSocket connections'),
        maxResumeGapMs: z
          .number()
          .positive()
          .optional()
          .describe('longest SSE/WebSocket reconnect gap after a graceful close; unset: not judged'),
        maxMessagesLost: z.number().int().min(0).default(0).describe('SSE/WebSocket messages (by id) clients may miss across reconnects'),
      })
      .strict()
      .prefault({})
      .describe('what clients may lose: a run that exceeds it ends with exit code 1 even if every step passed'),
  })
  .strict();

export const drainSchema = z
  .object({
    deadlineSeconds: z
      .number()
      .int()
      .positive()
      .default(300)
      .describe(
        'hard cap: an old pod still holding connections this long after its drain began is taken away anyway (what it held is reported as cut at the deadline)',
      ),
    settleSeconds: z
      .number()
      .min(0)
      .default(3)
      .describe('after a pod leaves the Service, wait this long for proxies to stop sending it new connections before nudging it'),
    maxStreamSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        'the longest stream (download, SSE/WebSocket session) the app serves; `baton check` warns when the grace period, preStop and deadline cannot hold it',
      ),
    connections: connectionMetricSchema
      .optional()
      .describe("the app's own metric of open connections per pod (Prometheus text); without it baton waits for the deadline"),
    nudge: z
      .object({
        path: z.string().startsWith('/'),
        method: z.enum(['POST', 'GET', 'PUT']).default('POST'),
        port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]).optional(),
      })
      .strict()
      .optional()
      .describe(
        'an HTTP request to each drained pod asking it to close resumable streams (WebSocket 1001, SSE end) now, e.g. POST /admin/drain',
      ),
  })
  .strict();

export const databaseSchema = z
  .object({
    dialect: z.enum(['postgres', 'mysql']),
    url: secretRef.optional().describe('connection URL for migrations and pg_dump/mysqldump backups'),
    migrations: z
      .object({
        dir: z.string(),
        target: z.string().regex(/^\d+$/).optional().describe('apply up to this version (default: all)'),
      })
      .strict()
      .optional(),
    backup: z
      .object({
        method: z.enum(['pg_dump', 'mysqldump', 'command', 'exec', 'none']),
        dir: z.string().default('.baton/backups'),
        command: z.array(z.string()).min(1).optional(),
        exec: execHookSchema.optional().describe('method exec: a command run inside a pod, e.g. borgmatic --stats'),
        timeoutSeconds: z.number().positive().default(600),
        sizePattern: z
          .string()
          .optional()
          .describe('method exec: a regex whose first group is the backup size in the output, e.g. "Compressed size\\s+([\\d.]+ [kMG]?B)"'),
        verify: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict();

export const specSchema = z
  .object({
    apiVersion: z.literal('baton.dev/v1alpha1'),
    kind: z.literal('Upgrade'),
    app: name.describe('the application; also the lock and history key'),
    namespace: name.default('default'),
    manifests: z.array(z.string()).min(1).describe('files or folders of Kubernetes YAML for the new release'),
    deployment: name.optional().describe('the app Deployment in the manifests (default: the only one)'),
    service: name.optional().describe('the Service in front of it (default: the only one)'),
    image: z
      .object({
        container: z.string().optional().describe('default: the first container'),
        ref: z
          .string()
          .min(1)
          .regex(
            imageRefPattern,
            'is not an image reference (registry/repository:tag or @sha256:digest: lowercase repository, no spaces or shell characters)',
          )
          .describe('the image to upgrade to; pinned (no :latest)'),
        allowUnpinned: z.boolean().default(false),
      })
      .strict(),
    version: z.string().optional().describe('release name shown in history (default: the image tag)'),
    strategy: strategySchema.prefault({}),
    config: z
      .object({ travelsWithRelease: z.boolean().default(true) })
      .strict()
      .prefault({})
      .describe('copy ConfigMaps/Secrets to content-hashed names per release so rollback restores them'),
    probe: probeSchema.prefault({}),
    verify: z.array(hookSchema).default([]).describe('checks after the rollout; a failure rolls back'),
    database: databaseSchema.optional(),
    drain: drainSchema
      .optional()
      .describe(
        'drain by evidence: old pods leave only when their long-lived connections read 0 or the deadline passes, even past terminationGracePeriodSeconds (rolling and canary hold old pods out of the Deployment controller; blue-green waits before scaling the old colour down)',
      ),
    traffic: trafficSchema.prefault({}).describe('canary / ab: which router splits traffic between stable and new'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    // gc must have evidence that a release is idle: with neither source, every release would be
    // kept forever (unknown is never 0), so say so when the spec is read, not at the first gc.
    // Only for rainbow: another strategy's spec may carry an inert rainbow section (baton gc
    // refuses such a spec on its own).
    const gc = spec.strategy.rainbow.gc;
    if (spec.strategy.kind === 'rainbow' && gc && gc.prometheusUrl === undefined && spec.drain?.connections === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['strategy', 'rainbow', 'gc'],
        message:
          "baton gc needs evidence that an old release is idle: set drain.connections (your app's per-pod connection metric, read from each pod) or strategy.rainbow.gc.prometheusUrl with activeTasksQuery",
      });
    }
  });

export type BatonSpec = z.output<typeof specSchema>;
export type HookSpec = z.output<typeof hookSchema>;
export type ProbeSpec = z.output<typeof probeSchema>;
export type DatabaseSpec = z.output<typeof databaseSchema>;
export type DrainSpec = z.output<typeof drainSchema>;
export type SecretRef = z.output<typeof secretRef>;
export type RainbowSpec = z.output<typeof rainbow>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type CanarySpec = z.output<typeof canary>;
export type AbSpec = z.output<typeof ab>;

/** The three releases of the demo app; one codebase, APP_VERSION selects the behaviour. */
export type AppVersion = 'v1' | 'v2' | 'v3';

/** Everything the server reads from its environment, parsed once at start. */
export interface AppConfig {
  version: AppVersion;
  host: string;
  port: number;
  podName: string;
  databaseUrl: string | undefined;
  /** application_name of DB sessions, so each release's sessions show in pg_stat_activity. */
  applicationName: string;
  /** Fraction (0..1) of GET / answered with 500: the "bad version". */
  errorRate: number;
  startupDelayMs: number;
  failReadiness: boolean;
  crashAfterMs: number | undefined;
  drainTimeoutMs: number;
  /** On a drain, resumable streams (SSE, WebSocket) end within a random delay below this. */
  drainJitterMs: number;
  /** Idle keep-alive connections close after this (also advertised as `Keep-Alive: timeout`). */
  keepAliveTimeoutMs: number;
}

/** Thrown for an unusable environment; the entry point prints it and exits 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function num(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${key}=${raw} is not a number in [${min}, ${max}]`);
  }
  return value;
}

/** Parses the environment; throws ConfigError with the offending variable named. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const version = env.APP_VERSION;
  if (version !== 'v1' && version !== 'v2' && version !== 'v3') {
    throw new ConfigError(`APP_VERSION must be v1, v2 or v3 (got ${version === undefined ? 'nothing' : JSON.stringify(version)})`);
  }
  const crash = env.DEMO_CRASH_AFTER_MS;
  return {
    version,
    host: env.POD_IP || env.HOST || '127.0.0.1',
    port: num(env, 'PORT', 8080, 0, 65535),
    podName: env.POD_NAME ?? env.HOSTNAME ?? 'local',
    databaseUrl: env.DATABASE_URL || undefined,
    applicationName: env.BATON_RELEASE || `demo-app-${version}`,
    errorRate: num(env, 'DEMO_ERROR_RATE', 0, 0, 1),
    startupDelayMs: num(env, 'DEMO_STARTUP_DELAY_MS', 0),
    failReadiness: env.DEMO_FAIL_READINESS === '1',
    crashAfterMs: crash === undefined || crash === '' ? undefined : num(env, 'DEMO_CRASH_AFTER_MS', 0),
    drainTimeoutMs: num(env, 'DRAIN_TIMEOUT_MS', 30_000),
    drainJitterMs: num(env, 'DRAIN_JITTER_MS', 200),
    keepAliveTimeoutMs: num(env, 'KEEPALIVE_TIMEOUT_MS', 5_000, 1),
  };
}

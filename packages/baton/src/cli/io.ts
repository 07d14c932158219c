/** What a command may touch: injected so tests run commands in-process. */
export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export type OutputFormat = 'text' | 'json';

/** The apiVersion of every JSON document the CLI prints (docs/json-output.md). */
export const outputApiVersion = 'baton.dev/v1alpha1';

/**
 * The kinds of JSON the CLI prints with `-o json`, one per shape; docs/json-output.md and
 * docs/json/<kind>.schema.json describe each (a test holds them to what the commands print).
 */
export const outputKinds = [
  'RunOutcome',
  'Plan',
  'Drift',
  'RunStatus',
  'ReleaseHistory',
  'RevisionHistory',
  'PauseRequest',
  'RollbackNotNeeded',
  'GcReport',
  'ProbeRecord',
  'RunReport',
  'CheckResult',
  'ReleaseList',
  'ReleaseStatus',
  'InClusterRelease',
  'Dashboard',
  'InClusterDashboard',
  'Error',
] as const;

export type OutputKind = (typeof outputKinds)[number];

/**
 * Prints one JSON document: `apiVersion` and `kind` first, so a machine reading it knows which
 * shape it has (a list goes under `items`), then the value's fields.
 */
export function printJson(io: CliIO, kind: OutputKind, value: object): void {
  const body = Array.isArray(value) ? { items: value } : value;
  io.stdout.write(`${JSON.stringify({ apiVersion: outputApiVersion, kind, ...body }, null, 2)}\n`);
}

import { resolveDbUrl, type DbRef } from '../../db/steps/db-ref.js';
import { BatonError, isBatonError } from '../../errors.js';
import type { CliIO } from '../io.js';

/**
 * The database `baton check` reads: `--database URL`; `--database` alone takes the spec's
 * `database.url`, resolved as `baton plan` resolves it (an env ref from the environment, a Secret
 * ref through the cluster of --kubeconfig/--context). Without the flag, undefined: check stays
 * offline (CI runs it with no database). A Secret that cannot be read names the Secret and says
 * to pass --database URL instead.
 */
export async function checkDatabaseUrl(
  options: Record<string, unknown>,
  spec: { namespace: string; database?: { url?: unknown } } | undefined,
  io: CliIO,
): Promise<string | undefined> {
  if (typeof options.database === 'string') return options.database;
  if (options.database !== true) return undefined;
  const ref = spec?.database?.url as DbRef | undefined;
  if (ref === undefined || spec === undefined) {
    throw new BatonError('USAGE', '--database without a URL takes database.url from the spec, and there is none', {
      hint:
        spec === undefined
          ? 'pass --database URL, or --spec baton.yaml with database.url'
          : 'pass --database URL, or add database.url to the spec',
    });
  }
  const isSecret = 'secret' in ref || 'secretName' in ref;
  if (!isSecret) return resolveDbUrl(ref, spec.namespace, { env: io.env });
  const name = 'secret' in ref ? ref.secret.name : ref.secretName;
  const key = 'secret' in ref ? ref.secret.key : ref.key;
  // Loaded only here: every other check needs no cluster client.
  const [{ kubeFrom }, { kubeSecretResolver }] = await Promise.all([import('./context.js'), import('../../kube/secret-resolver.js')]);
  try {
    return await resolveDbUrl(ref, spec.namespace, { env: io.env, resolveSecret: kubeSecretResolver(kubeFrom(options, io)) });
  } catch (cause) {
    if (isBatonError(cause) && cause.code.startsWith('DB_URL')) throw cause;
    throw new BatonError(
      // An unreachable cluster keeps its code, so the exit code says so (5).
      isBatonError(cause) ? cause.code : 'DB_SECRET_UNAVAILABLE',
      `database.url is Secret ${spec.namespace}/${name} key ${key}, and reading it needs the cluster, which failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        hint: 'pass --database URL (or set database.url to {env: NAME}), or point --kubeconfig/--context at the cluster holding the Secret',
      },
    );
  }
}

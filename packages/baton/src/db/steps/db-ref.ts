import { z } from 'zod';
import { BatonError } from '../../errors.js';
import { parseConnectionUrl } from '../connection-url.js';

/**
 * Where a step finds its database URL. Params (and so the journal) carry only the NAME of an env
 * var or Secret key, never the URL with its password. `{value}` is accepted only without a password.
 */
export const dbRefSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ secret: z.object({ name: z.string().min(1), key: z.string().min(1) }).strict() }).strict(),
  z.object({ secretName: z.string().min(1), key: z.string().min(1) }).strict(),
  z.object({ value: z.string().min(1) }).strict(),
]);

export type DbRef = z.output<typeof dbRefSchema>;

/** Reads a key of a Kubernetes Secret in the run's namespace (the engine wires kube/ in). */
export type SecretResolver = (ref: { namespace: string; name: string; key: string }) => Promise<string>;

export interface DbRefDeps {
  env: NodeJS.ProcessEnv;
  resolveSecret?: SecretResolver;
}

/** Resolves a DbRef to a URL at run time. Errors name the env var / Secret, never the value. */
export async function resolveDbUrl(ref: DbRef, namespace: string, deps: DbRefDeps): Promise<string> {
  let url: string | undefined;
  let where: string;
  if ('env' in ref) {
    where = `environment variable ${ref.env}`;
    url = deps.env[ref.env];
  } else if ('value' in ref) {
    where = 'params.db.value';
    if (parseConnectionUrl(ref.value).password !== undefined) {
      throw new BatonError('DB_URL_IN_PARAMS', 'a database URL with a password was put in step params, which are journaled', {
        hint: 'reference it instead: {"env": "DATABASE_URL"} or {"secret": {"name": "app-db", "key": "url"}}',
      });
    }
    url = ref.value;
  } else {
    const name = 'secret' in ref ? ref.secret.name : ref.secretName;
    const key = 'secret' in ref ? ref.secret.key : ref.key;
    where = `Secret ${namespace}/${name} key ${key}`;
    if (!deps.resolveSecret) {
      throw new BatonError('DB_SECRET_UNAVAILABLE', `cannot read ${where}: no Secret resolver is configured`, {
        hint: 'pass resolveSecret to createDbStepKinds, or use {"env": "NAME"}',
      });
    }
    url = await deps.resolveSecret({ namespace, name, key });
  }
  if (url === undefined || url.trim() === '') {
    throw new BatonError('DB_URL_MISSING', `${where} is not set or empty`, { hint: `set ${where} to the database URL` });
  }
  parseConnectionUrl(url.trim());
  return url.trim();
}

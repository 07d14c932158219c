import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedCertificate, type CertificatePair } from './self-signed-cert.js';

/** What a client's kubeconfig pins: the bearer token and the server's own certificate. */
export interface ServerIdentity { token: string; cert: CertificatePair }

/**
 * With a data dir, the token and certificate are kept there (0600) so that a restarted server
 * still accepts the kubeconfigs it wrote before, as a real cluster's credentials outlive a
 * restart. Without one, both are new for every start.
 */
export async function loadOrCreateIdentity(options: { dataDir?: string; token?: string; host: string }): Promise<ServerIdentity> {
  const fresh = (): ServerIdentity => ({ token: options.token ?? randomBytes(24).toString('hex'), cert: createSelfSignedCertificate([options.host]) });
  if (!options.dataDir) return fresh();
  const file = join(options.dataDir, 'identity.json');
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as ServerIdentity;
    if (options.token === undefined || options.token === saved.token) return saved;
  } catch {
    // first start in this data dir (or an unreadable file): make a new identity below
  }
  const identity = fresh();
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(identity), { mode: 0o600 });
  return identity;
}

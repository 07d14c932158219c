import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedCertificate, type CertificatePair } from './self-signed-cert.js';

/**
 * What a client's kubeconfig pins: the bearer token and the server's own certificate; and the
 * clusterIP of the `kubernetes` Service, which the certificate names so pods can reach the API
 * server at KUBERNETES_SERVICE_HOST over TLS. The certificate's key also signs service-account tokens.
 */
export interface ServerIdentity {
  token: string;
  cert: CertificatePair;
  serviceIP: string;
}

/** The DNS names a real API server's certificate carries for its in-cluster Service. */
const serviceNames = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

/**
 * A clusterIP for the `kubernetes` Service. A real cluster uses the first address of its range;
 * kubesim picks one at random in the upper half of 127.96.0.0/16 (the allocator skips it for other
 * Services), so two kubesims on one machine do not answer for each other.
 */
function pickServiceIP(): string {
  const n = 0x8000 + Math.floor(Math.random() * 0x7fff);
  const last = n & 255;
  return `127.96.${n >> 8}.${last === 0 || last === 255 ? 1 : last}`;
}

/**
 * With a data dir, the token and certificate are kept there (0600) so that a restarted server
 * still accepts the kubeconfigs it wrote before, as a real cluster's credentials outlive a
 * restart. Without one, both are new for every start.
 */
export async function loadOrCreateIdentity(options: { dataDir?: string; token?: string; host: string }): Promise<ServerIdentity> {
  const fresh = (token?: string): ServerIdentity => {
    const serviceIP = pickServiceIP();
    return {
      token: token ?? options.token ?? randomBytes(24).toString('hex'),
      cert: createSelfSignedCertificate([options.host, serviceIP, ...serviceNames]),
      serviceIP,
    };
  };
  if (!options.dataDir) return fresh();
  const file = join(options.dataDir, 'identity.json');
  let identity: ServerIdentity | undefined;
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<ServerIdentity> & { token: string; cert: CertificatePair };
    if (options.token === undefined || options.token === saved.token) {
      if (saved.serviceIP) return saved as ServerIdentity;
      // Written before the kubernetes Service existed: keep the token, new certificate naming it.
      identity = fresh(saved.token);
    }
  } catch {
    // first start in this data dir (or an unreadable file): make a new identity below
  }
  identity ??= fresh();
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(identity), { mode: 0o600 });
  return identity;
}

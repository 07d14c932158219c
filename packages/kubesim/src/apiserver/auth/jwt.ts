import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A compact JWS signed with ES256 (the API server's P-256 key), as service-account tokens are. */
export interface JwtKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export function jwtKeys(privateKeyPem: string): JwtKeys {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  // Real servers put a key id (a hash of the public key) in the header; any stable string works.
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = Buffer.from(der.subarray(-24)).toString('base64url');
  return { privateKey, publicKey, keyId };
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signJwt(keys: JwtKeys, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'ES256', kid: keys.keyId })}.${b64(claims)}`;
  const sig = sign('sha256', Buffer.from(input), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/** The claims of a token this server signed, or undefined (malformed, other signer, bad signature). */
export function verifyJwt(keys: JwtKeys, token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'ES256') return undefined;
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: keys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    if (!ok) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(p, 'base64url').toString());
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

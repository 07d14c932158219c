import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

// Minimal DER encoding: just what one X.509 v3 certificate needs.
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
function oid(s: string): Buffer {
  const [a, b, ...rest] = s.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const n of rest) {
    const parts: number[] = [];
    let x = n;
    do {
      parts.unshift(x & 0x7f);
      x = Math.floor(x / 128);
    } while (x > 0);
    for (let i = 0; i < parts.length - 1; i++) parts[i]! |= 0x80;
    out.push(...parts);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (d: Date): Buffer => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [Buffer.from([0x01, 0x01, 0xff])] : []), tlv(0x04, value));

function ipBytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed ECDSA P-256 certificate for the API server (CA:TRUE so it is its own trust
 * anchor in the kubeconfig), valid for localhost, 127.0.0.1 and the given IPv4 hosts and DNS names.
 */
export function createSelfSignedCertificate(hosts: string[]): CertificatePair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // Positive and without a leading zero byte: DER forbids padding, and 1 in 256 random serials
  // would otherwise start with 0x00 and make the certificate unparsable.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const alg = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('kubesim')))));
  const now = Date.now();
  const ips = [...new Set(['127.0.0.1', ...hosts.filter((h) => isIP(h) === 4)])];
  const names = [...new Set(['localhost', ...hosts.filter((h) => isIP(h) === 0)])];
  const san = seq(...names.map((n) => tlv(0x82, Buffer.from(n))), ...ips.map((ip) => tlv(0x87, ipBytes(ip))));
  const extensions = tlv(
    0xa3,
    seq(
      ext('2.5.29.19', true, seq(Buffer.from([0x01, 0x01, 0xff]))),
      ext('2.5.29.15', true, Buffer.from([0x03, 0x02, 0x02, 0x84])),
      ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      ext('2.5.29.17', false, san),
    ),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    alg,
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 10 * 365 * 86400_000))),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

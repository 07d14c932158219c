import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../store/object-store.js';
import { isObject, type KubeObject } from '../types.js';
import { signJwt, verifyJwt, type JwtKeys } from './jwt.js';
import { serviceAccountUser, serviceAccountUsername, type UserInfo } from './user-info.js';

/** The issuer and default audience of kubesim's tokens: what kubeadm clusters use. */
export const issuer = 'https://kubernetes.default.svc.cluster.local';
/** The issuer legacy Secret-based tokens carry. */
const legacyIssuer = 'kubernetes/serviceaccount';

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface TokenOptions {
  namespace: string;
  serviceAccount: KubeObject;
  audiences: string[];
  expirationSeconds: number;
  bound?: BoundObject;
  /** A pod's node, recorded in the token as the real server does. */
  node?: { name: string; uid: string };
  now: Date;
}

/**
 * Signs and checks service-account tokens as kube-apiserver does: bound tokens (TokenRequest,
 * the kubelet's projected token) are valid until they expire and only while the service account
 * (and the pod or secret they are bound to) still exists with the same uid; legacy Secret tokens
 * only while their Secret and service account exist.
 */
export class ServiceAccountTokens {
  constructor(
    private readonly keys: JwtKeys,
    private readonly store: ObjectStore,
  ) {}

  issue(o: TokenOptions): { token: string; expirationTimestamp: string } {
    const iat = Math.floor(o.now.getTime() / 1000);
    const exp = iat + o.expirationSeconds;
    const sa = o.serviceAccount;
    const k8s: Record<string, unknown> = {
      namespace: o.namespace,
      serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid },
    };
    if (o.bound) k8s[o.bound.kind.toLowerCase()] = { name: o.bound.name, uid: o.bound.uid };
    if (o.node) k8s['node'] = o.node;
    const token = signJwt(this.keys, {
      aud: o.audiences,
      exp,
      iat,
      iss: issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: iat,
      sub: serviceAccountUsername(o.namespace, sa.metadata.name ?? ''),
    });
    return { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z') };
  }

  /** A token for a legacy `kubernetes.io/service-account-token` Secret (never expires). */
  issueLegacy(namespace: string, serviceAccount: KubeObject, secretName: string): string {
    return signJwt(this.keys, {
      iss: legacyIssuer,
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount.metadata.name,
      'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.metadata.uid,
      sub: serviceAccountUsername(namespace, serviceAccount.metadata.name ?? ''),
    });
  }

  /** The user a token authenticates as, or undefined (the request is then a 401). */
  authenticate(token: string, now: Date): UserInfo | undefined {
    const c = verifyJwt(this.keys, token);
    if (!c) return undefined;
    return c['iss'] === legacyIssuer ? this.legacy(c, token, now) : this.bound(c, now);
  }

  private alive(o: KubeObject | undefined, uid: unknown, now: Date): o is KubeObject {
    if (!o || o.metadata.uid !== uid) return false;
    // A terminating object's tokens stay valid until its deletion deadline, as upstream checks.
    return !o.metadata.deletionTimestamp || Date.parse(o.metadata.deletionTimestamp) >= now.getTime();
  }

  private bound(c: Record<string, unknown>, now: Date): UserInfo | undefined {
    if (c['iss'] !== issuer) return undefined;
    const aud = Array.isArray(c['aud']) ? c['aud'] : [c['aud']];
    if (!aud.includes(issuer)) return undefined;
    const secs = now.getTime() / 1000;
    // 60 s of leeway for clock skew, as the real validator allows.
    if (typeof c['exp'] !== 'number' || c['exp'] + 60 < secs) return undefined;
    if (typeof c['nbf'] === 'number' && c['nbf'] - 60 > secs) return undefined;
    const k = c['kubernetes.io'];
    if (!isObject(k) || typeof k['namespace'] !== 'string' || !isObject(k['serviceaccount'])) return undefined;
    const ns = k['namespace'];
    const saRef = k['serviceaccount'];
    const sa = this.store.get('/serviceaccounts', ns, String(saRef['name']));
    if (!this.alive(sa, saRef['uid'], now)) return undefined;
    const extra: Record<string, string[]> = {};
    for (const kind of ['pod', 'secret'] as const) {
      const ref = k[kind];
      if (!isObject(ref)) continue;
      const o = this.store.get(`/${kind}s`, ns, String(ref['name']));
      if (!this.alive(o, ref['uid'], now)) return undefined;
      if (kind === 'pod') {
        extra['authentication.kubernetes.io/pod-name'] = [String(ref['name'])];
        extra['authentication.kubernetes.io/pod-uid'] = [String(ref['uid'])];
      }
    }
    if (isObject(k['node'])) {
      extra['authentication.kubernetes.io/node-name'] = [String(k['node']['name'])];
      extra['authentication.kubernetes.io/node-uid'] = [String(k['node']['uid'])];
    }
    if (typeof c['jti'] === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${c['jti']}`];
    return serviceAccountUser(ns, sa.metadata.name ?? '', sa.metadata.uid ?? '', extra);
  }

  private legacy(c: Record<string, unknown>, token: string, now: Date): UserInfo | undefined {
    const ns = c['kubernetes.io/serviceaccount/namespace'];
    const secretName = c['kubernetes.io/serviceaccount/secret.name'];
    const saName = c['kubernetes.io/serviceaccount/service-account.name'];
    if (typeof ns !== 'string' || typeof secretName !== 'string' || typeof saName !== 'string') return undefined;
    const secret = this.store.get('/secrets', ns, secretName);
    const data = secret && isObject(secret['data']) ? secret['data'] : {};
    if (!secret || data['token'] !== Buffer.from(token).toString('base64')) return undefined;
    if (secret.metadata.deletionTimestamp && Date.parse(secret.metadata.deletionTimestamp) < now.getTime()) return undefined;
    const sa = this.store.get('/serviceaccounts', ns, saName);
    if (!this.alive(sa, c['kubernetes.io/serviceaccount/service-account.uid'], now)) return undefined;
    return serviceAccountUser(ns, saName, sa.metadata.uid ?? '', {
      'authentication.kubernetes.io/credential-id': [`JTI=legacy:${secretName}`],
    });
  }
}

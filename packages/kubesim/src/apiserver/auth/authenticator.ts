import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServiceAccountTokens } from './service-account-tokens.js';
import { adminUser, type UserInfo } from './user-info.js';

/**
 * Bearer-token authentication: the kubeconfig's admin token (compared in constant time), else a
 * service-account token this server signed. Anything else is undefined: a 401, as with
 * `--anonymous-auth=false` (kubesim has no anonymous user).
 */
export class Authenticator {
  private readonly admin: Buffer;

  constructor(
    adminToken: string,
    private readonly tokens: ServiceAccountTokens,
    private readonly now: () => Date,
  ) {
    this.admin = Buffer.from(adminToken);
  }

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    const token = Buffer.from(m[1]!);
    if (token.length === this.admin.length && timingSafeEqual(token, this.admin)) return adminUser;
    return this.tokens.authenticate(m[1]!, this.now());
  }
}

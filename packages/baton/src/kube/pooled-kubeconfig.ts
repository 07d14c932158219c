import { createHash } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import * as k8s from '@kubernetes/client-node';

type RequestContext = Parameters<k8s.KubeConfig['applySecurityAuthentication']>[0];

/**
 * How long a pooled connection may sit idle before it is closed here: under the 5 s after which
 * Node servers (kubesim) drop idle connections, so a request never goes out on a socket the
 * server is closing (a "socket hang up"). Node's agent also honours a server's Keep-Alive hint
 * once a timeout is set. Only idle sockets are closed; a request in flight is not.
 */
const idleSocketMs = 4000;

/**
 * A KubeConfig whose API calls reuse their connections. client-node 1.x gives every request a
 * new https.Agent, so each call pays a TCP connect and a TLS handshake (about 40 ms per GET on
 * the shared 2-core machine, and a controller step boundary makes about ten calls). Requests
 * with the same TLS identity share one keep-alive agent instead; idle sockets are unref'd by
 * Node, so they never keep a CLI process alive. Proxy agents are left as client-node made them.
 */
export class PooledKubeConfig extends k8s.KubeConfig {
  private readonly agents = new Map<string, HttpsAgent>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (!(made instanceof HttpsAgent) || made.constructor !== HttpsAgent) return;
    const options = made.options;
    const identity = createHash('sha256');
    for (const part of [options.ca, options.cert, options.key, options.pfx, options.servername, options.rejectUnauthorized])
      identity.update(`${String(part)}\0`);
    const key = identity.digest('hex');
    let pooled = this.agents.get(key);
    if (pooled === undefined) {
      pooled = new HttpsAgent({ ...options, keepAlive: true, timeout: idleSocketMs });
      this.agents.set(key, pooled);
    }
    context.setAgent(pooled);
  }
}

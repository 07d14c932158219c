import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Agent, fetch as tlsFetch, type RequestInit as TlsRequestInit, type Response as TlsResponse } from 'undici';
import { connect as connectTcp, createServer as createNetServer, type Socket } from 'node:net';
import { ApiError, errors } from './api-error.js';
import { ClusterIPAllocator } from './cluster-ip-allocator.js';
import { NodePortAllocator } from './node-port-allocator.js';
import { discovery } from './discovery.js';
import { openApiV2Protobuf, openApiV3 } from './openapi.js';
import { GarbageCollector } from './garbage-collector.js';
import { sendError, sendJson } from './http-io.js';
import { renderKubeconfig } from './kubeconfig.js';
import { loadOrCreateIdentity } from './server-identity.js';
import { NamespaceLifecycle } from './namespace-lifecycle.js';
import { ListSnapshots } from './list-snapshots.js';
import { kubeletPath, portForwardPath, proxyLog, proxyUpgrade, writeRawError } from './node-proxy.js';
import { parseTarget } from './request-info.js';
import { handleResource, type HandlerContext } from './resource-handler.js';
import { ResourceRegistry } from './resource-registry.js';
import { ObjectStore } from './store/object-store.js';
import { ResourceStorage } from './store/resource-storage.js';
import { readSnapshot, SnapshotWriter } from './store/snapshot-file.js';
import type { KubeObject } from './types.js';
import { kubernetesVersion, type KubernetesVersion } from '../kubernetes-version.js';
import { answerReview } from './auth/access-reviews.js';
import { Authenticator } from './auth/authenticator.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './auth/bootstrap-policy.js';
import { startClusterRoleAggregation } from './auth/cluster-role-aggregation.js';
import { impersonate } from './auth/impersonation.js';
import { jwtKeys } from './auth/jwt.js';
import { startLegacyTokenController } from './auth/legacy-token-controller.js';
import { startMasterService } from './auth/master-service.js';
import { forbiddenMessage, RbacAuthorizer } from './auth/rbac-authorizer.js';
import { requestAttributes } from './auth/request-attributes.js';
import { startRootCaPublisher } from './auth/root-ca-publisher.js';
import { admitPodServiceAccount } from './auth/service-account-admission.js';
import { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { requestToken } from './auth/token-request.js';
import { adminUser, setUser, userOf, type UserInfo } from './auth/user-info.js';
import type { RequestTarget } from './request-info.js';

export interface ApiServerOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Directory whose snapshot is loaded at start and rewritten (atomically, debounced) on change. */
  dataDir?: string;
  /** The admin's bearer token (system:masters: never subject to RBAC); default random. */
  token?: string;
  /** Events kept for watch resumption; watching from an older resourceVersion is 410 Gone. */
  watchHistorySize?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 5000 ms; real servers ~60 s). */
  bookmarkIntervalMs?: number;
  /** The Kubernetes minor to serve: "1.26" to "1.32" (default 1.32). See kubernetes-version.ts. */
  kubernetesVersion?: string;
}

/** What Go's net/http (so kube-apiserver) answers a plain-HTTP request on a TLS port. */
const plainHttpRefusal = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

export interface ApiServer {
  /**
   * https://127.0.0.1:PORT. The port speaks TLS only, as kube-apiserver's does: a plain-HTTP
   * request is answered 400 "Client sent an HTTP request to an HTTPS server." and closed.
   */
  httpsUrl: string;
  /** fetch(httpsUrl + path) trusting the server's own CA: for in-process callers and tests. */
  fetch(path: string, init?: TlsRequestInit): Promise<TlsResponse>;
  /** PEM of the self-signed certificate the TLS side presents (its own CA). */
  caPem: string;
  token: string;
  /** clusterIP of the `kubernetes` Service in default (port 443), which the certificate names. */
  serviceIP: string;
  stop(): Promise<void>;
  /** The Kubernetes version served (discovery, /version, known fields). */
  version: KubernetesVersion;
  /** kubeconfig YAML (cluster, user with bearer token, context "kubesim", namespace default). */
  kubeconfig(): string;
  writeKubeconfig(path: string): Promise<void>;
}

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
function randomSuffix(): string {
  const b = randomBytes(5);
  return [...b].map((x) => suffixAlphabet[x % suffixAlphabet.length]).join('');
}

const bootNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Starts kubesim's Kubernetes API server on loopback. */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const version = kubernetesVersion(options.kubernetesVersion);
  const identity = await loadOrCreateIdentity({
    host,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.token ? { token: options.token } : {}),
  });
  const token = identity.token;
  const store = new ObjectStore({ historySize: options.watchHistorySize ?? 10_000 });
  const registry = new ResourceRegistry();
  if (options.dataDir) {
    const snap = await readSnapshot(options.dataDir);
    if (snap) {
      store.load(snap);
      for (const crd of store.list('apiextensions.k8s.io/customresourcedefinitions')) registry.setCrd(crd);
    }
  }
  const ips = new ClusterIPAllocator(store);
  const nodePorts = new NodePortAllocator(store);
  const storage = new ResourceStorage(
    store,
    registry,
    {
      allocateClusterIP: () => ips.allocate(),
      clusterIPProblem: (ip) => ips.problem(ip),
      randomSuffix,
      allocateNodePort: (taken) => nodePorts.allocate(taken),
      nodePortProblem: (port, self) => nodePorts.problem(port, self),
    },
    {
      onCrdChange(crd, removed) {
        if (!removed) {
          registry.setCrd(crd);
          return;
        }
        // Deleting a CRD deletes every instance, then stops serving the kind.
        const group = (crd['spec'] as { group?: string } | undefined)?.group ?? '';
        const plural = (crd['spec'] as { names?: { plural?: string } } | undefined)?.names?.plural ?? '';
        for (const o of store.list(`${group}/${plural}`)) store.remove(`${group}/${plural}`, o);
        registry.removeCrd(crd.metadata.name ?? '');
      },
    },
  );
  const nsDesc = registry.byKey('/namespaces')!;
  for (const ns of bootNamespaces) {
    if (!store.get('/namespaces', undefined, ns))
      storage.create(nsDesc, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const o of [...bootstrapClusterRoles, ...bootstrapClusterRoleBindings]) {
    const key = o['kind'] === 'ClusterRole' ? 'rbac.authorization.k8s.io/clusterroles' : 'rbac.authorization.k8s.io/clusterrolebindings';
    const d = registry.byKey(key)!;
    const name = String((o['metadata'] as { name: string }).name);
    if (!store.get(key, undefined, name)) storage.create(d, undefined, structuredClone(o) as KubeObject);
  }
  const gc = new GarbageCollector(store, storage, registry);
  const lifecycle = new NamespaceLifecycle(store, storage, registry);
  const snapshots = options.dataDir ? new SnapshotWriter(store, options.dataDir) : undefined;

  const now = (): Date => new Date();
  const tokens = new ServiceAccountTokens(jwtKeys(identity.cert.keyPem), store);
  const authn = new Authenticator(token, tokens, now);
  const rbac = new RbacAuthorizer(store);
  const controllers = [
    startClusterRoleAggregation(store, storage, registry),
    startRootCaPublisher(store, storage, registry, identity.cert.certPem),
    startLegacyTokenController(store, storage, registry, tokens, identity.cert.certPem),
  ];
  const reviewDeps = { rbac, tokens, adminToken: token, adminUser, now };
  // kubesim's kubelets authenticate with the admin kubeconfig and accept only its token, so that
  // token is also the API server's client credential towards them (never the caller's token).
  const kubeletToken = token;

  let serverAddress = '';
  const ctx: HandlerContext = {
    storage,
    store,
    registry,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
    now: () => new Date(),
    minor: version.minor,
    snapshots: new ListSnapshots(),
    async proxyToKubelet(_req, res, pod, sub, query) {
      if (sub !== 'log') throw errors.badRequest('Upgrade request required');
      await proxyLog(res, kubeletPath(store, pod, 'log', query), kubeletToken);
    },
    admitCreate(d, ns, body) {
      if (d.group === '' && d.resource === 'pods' && ns) admitPodServiceAccount(store, ns, body, randomSuffix);
    },
    answerReview: (d, review, req, ns) => answerReview(reviewDeps, d.resource, review, userOf(req), ns),
    requestToken: (ns, name, body) => requestToken(store, tokens, ns, name, body, now()),
  };
  const isNamespaced = (g: string, v: string, r: string): boolean => registry.find(g, v, r)?.namespaced === true;
  /** Authentication (401) then RBAC (403, with the real message), as kube-apiserver's filter chain. */
  const admit = (req: IncomingMessage, url: URL, t: RequestTarget): UserInfo => {
    const caller = authn.authenticate(req);
    if (!caller) throw errors.unauthorized();
    const user = impersonate(req, caller, rbac);
    setUser(req, user);
    const a = requestAttributes(req.method ?? 'GET', url, t);
    if (!rbac.authorize(user, a).allowed) {
      const f = forbiddenMessage(user, a);
      throw errors.forbidden(f.message, f.details);
    }
    return user;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://kubesim');
      const t = parseTarget(url.pathname, isNamespaced);
      admit(req, url, t);
      if (t.type === 'resource') {
        if (!registry.hasGroupVersion(t.group, t.version)) throw errors.notFoundPath();
        await handleResource(req, res, url, t, ctx);
        return;
      }
      if (['/healthz', '/livez', '/readyz'].includes(t.path)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (req.method !== 'GET') throw errors.methodNotAllowed(req.method ?? '');
      if (t.path === '/openapi/v2') {
        const pb = openApiV2Protobuf(version);
        res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': pb.length });
        res.end(pb);
        return;
      }
      const body = t.path.startsWith('/openapi/v3')
        ? openApiV3(registry, t.path, version)
        : discovery(registry, t.path, serverAddress, version);
      if (body === undefined) throw errors.notFoundPath();
      sendJson(res, 200, body);
    } catch (e) {
      sendError(res, e);
    }
  }

  function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    try {
      const url = new URL(req.url ?? '/', 'http://kubesim');
      const t = parseTarget(url.pathname, isNamespaced);
      admit(req, url, t);
      if (
        t.type !== 'resource' ||
        t.group !== '' ||
        t.resource !== 'pods' ||
        (t.subresource !== 'exec' && t.subresource !== 'portforward') ||
        !t.name
      )
        throw errors.notFoundPath();
      const pod = store.get('/pods', t.namespace, t.name);
      if (!pod) throw errors.notFound('pods', '', t.name);
      proxyUpgrade(
        req,
        socket,
        head,
        t.subresource === 'exec' ? kubeletPath(store, pod, 'exec', url.searchParams) : portForwardPath(store, pod, url.searchParams),
        kubeletToken,
      );
    } catch (e) {
      writeRawError(socket, e instanceof ApiError ? e : errors.internal(String(e)));
    }
  }

  // The port speaks TLS only. The first byte of a connection tells a TLS handshake (0x16) from
  // plain HTTP, which gets Go's net/http answer (what kube-apiserver sends) and is closed: a
  // token sent in clear text is never read.
  const cert = identity.cert;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res);
  };
  const https = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, onRequest);
  https.on('upgrade', upgrade);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (first[0] !== 0x16) {
        socket.end(plainHttpRefusal);
        return;
      }
      // TLS sockets read through their native handle, so unshifted bytes would be lost: relay
      // the connection to the internal TLS listener instead.
      const relay = connectTcp(httpsPort, host, () => {
        relay.write(first);
        socket.pipe(relay);
        relay.pipe(socket);
      });
      sockets.add(relay);
      relay.on('close', () => {
        sockets.delete(relay);
        socket.destroy();
      });
      relay.on('error', () => socket.destroy());
      socket.on('close', () => relay.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    https.once('error', reject);
    https.listen(0, host, () => resolve());
  });
  const httpsAddr = https.address();
  const httpsPort = typeof httpsAddr === 'object' && httpsAddr ? httpsAddr.port : 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  serverAddress = `${host}:${port}`;
  controllers.push(startMasterService(store, storage, registry, { serviceIP: identity.serviceIP, hostIP: host, port }));
  const httpsUrl = `https://${host}:${port}`;
  const trusting = new Agent({ connect: { ca: cert.certPem } });
  const kubeconfig = (): string => renderKubeconfig(httpsUrl, token, cert.certPem);
  let stopped = false;
  return {
    httpsUrl,
    caPem: cert.certPem,
    fetch: (path, init) => tlsFetch(httpsUrl + path, { ...init, dispatcher: trusting }),
    token,
    kubeconfig,
    serviceIP: identity.serviceIP,
    version,
    writeKubeconfig: (path) => writeFile(path, kubeconfig(), { mode: 0o600 }),
    async stop() {
      if (stopped) return;
      stopped = true;
      gc.stop();
      lifecycle.stop();
      for (const c of controllers) c.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      await trusting.close();
      await closed;
      await snapshots?.close();
    },
  };
}

export type { KubeObject };

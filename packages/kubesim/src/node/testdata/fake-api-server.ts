// A deliberately small stand-in API server (pods, nodes, events, configmaps, secrets) used only
// while developing the kubelet's tests; the tests run against the real kubesim API server.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

type Obj = {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
};

export async function startFakeApiServer(): Promise<{ url: string; token: string; kubeconfig(): string; stop(): Promise<void> }> {
  let rv = 1;
  const store = new Map<string, Obj>(); // key: resource/ns/name
  const watchers = new Set<{ res: ServerResponse; resource: string; node?: string }>();
  const token = 'fake-token';
  const log: { rv: number; type: string; resource: string; o: Obj }[] = [];
  const deliver = (w: { res: ServerResponse; resource: string; node?: string }, type: string, resource: string, o: Obj): void => {
    if (w.resource !== resource) return;
    if (w.node && (o.spec as { nodeName?: string } | undefined)?.nodeName !== w.node) return;
    w.res.write(JSON.stringify({ type, object: o }) + '\n');
  };
  const notify = (type: string, resource: string, o: Obj): void => {
    const copy = JSON.parse(JSON.stringify(o)) as Obj;
    log.push({ rv, type, resource, o: copy });
    for (const w of watchers) deliver(w, type, resource, copy);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const send = (code: number, o: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(url.pathname);
      if (!m) return send(404, { kind: 'Status', code: 404 });
      const [, ns, resource, name, sub] = m;
      const key = `${resource}/${ns ?? ''}/${name ?? ''}`;
      const sel = url.searchParams.get('fieldSelector');
      const node = sel?.startsWith('spec.nodeName=') ? sel.slice('spec.nodeName='.length) : undefined;
      if (req.method === 'GET' && !name) {
        if (url.searchParams.get('watch') === 'true') {
          res.writeHead(200, { 'content-type': 'application/json' });
          const w = { res, resource: resource!, node };
          watchers.add(w);
          const from = Number(url.searchParams.get('resourceVersion') ?? rv);
          for (const e of log) if (e.rv > from) deliver(w, e.type, e.resource, e.o);
          res.on('close', () => watchers.delete(w));
          return;
        }
        const items = [...store.entries()]
          .filter(([k]) => k.startsWith(`${resource}/${ns ?? ''}`) || (!ns && k.startsWith(`${resource}/`)))
          .map(([, v]) => v)
          .filter((o) => !node || (o.spec as { nodeName?: string }).nodeName === node);
        return send(200, { kind: 'List', metadata: { resourceVersion: String(rv) }, items });
      }
      const cur = store.get(key);
      if (req.method === 'GET') return cur ? send(200, cur) : send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
      if (req.method === 'POST') {
        const o = JSON.parse(body) as Obj;
        const k = `${resource}/${ns ?? ''}/${o.metadata.name}`;
        if (store.has(k)) return send(409, { kind: 'Status', code: 409, reason: 'AlreadyExists' });
        o.metadata.uid = randomUUID();
        o.metadata.resourceVersion = String(++rv);
        if (ns) o.metadata.namespace = ns;
        store.set(k, o);
        notify('ADDED', resource!, o);
        return send(201, o);
      }
      if (!cur) return send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
      if (req.method === 'PATCH') {
        const p = JSON.parse(body) as Obj;
        if (sub === 'status') cur.status = { ...(cur.status ?? {}), ...(p.status ?? {}) };
        else Object.assign(cur.metadata, p.metadata ?? {});
        cur.metadata.resourceVersion = String(++rv);
        notify('MODIFIED', resource!, cur);
        return send(200, cur);
      }
      if (req.method === 'DELETE') {
        const opts = body ? (JSON.parse(body) as { gracePeriodSeconds?: number }) : {};
        const grace =
          opts.gracePeriodSeconds ??
          (cur.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ??
          30;
        if (resource !== 'pods' || grace === 0 || !(cur.spec as { nodeName?: string }).nodeName) {
          store.delete(key);
          cur.metadata.resourceVersion = String(++rv);
          notify('DELETED', resource!, cur);
          return send(200, cur);
        }
        cur.metadata.deletionTimestamp = new Date().toISOString();
        cur.metadata.deletionGracePeriodSeconds = grace;
        cur.metadata.resourceVersion = String(++rv);
        notify('MODIFIED', resource!, cur);
        return send(200, cur);
      }
      send(405, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    token,
    kubeconfig: () =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${url}\nusers:\n- name: u\n  user:\n    token: ${token}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`,
    stop: () =>
      new Promise((r) => {
        for (const w of watchers) w.res.end();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

import { ClusterView } from '../cluster-view.js';
import { IngressProxy } from '../ingress-proxy.js';
import { silentLogger } from '../network-logger.js';
import { ServiceProxy } from '../service-proxy.js';
import { makeService, makeSlice, randomClusterAddress, waitFor } from './fixtures.js';
import { makeIngress } from './route-objects.js';

// Child-process entry for benchmarks: node proxy-host-main.js BACKEND_IP BACKEND_PORT.
// Serves one Service ("bench") through both proxies in its own process (so the load generator
// does not share its event loop) and prints {"serviceUrl":...,"ingressUrl":...}.
const [ip = '127.0.0.1', port = '80'] = process.argv.slice(2);
const view = new ClusterView();
const addr = randomClusterAddress();
const put = (object: ReturnType<typeof makeService>, kind: 'Service' | 'EndpointSlice' | 'Ingress'): void =>
  view.apply({ type: 'upsert', kind, object });
put(makeService({ name: 'bench', clusterIP: addr.ip, ports: [{ name: 'http', port: addr.port }] }), 'Service');
put(makeSlice({ service: 'bench', endpoints: [{ ip, pod: 'bench-0' }], ports: [{ name: 'http', port: Number(port) }] }), 'EndpointSlice');
put(makeIngress({ name: 'bench', host: 'bench.test', service: 'bench', port: addr.port }), 'Ingress');
const services = new ServiceProxy({ view, logger: silentLogger });
services.start();
const ingress = new IngressProxy({ view, logger: silentLogger });
const ingressUrl = await ingress.start();
await waitFor(() => services.listening().length === 1, 5000, 'service listener');
process.stdout.write(`${JSON.stringify({ serviceUrl: `http://${addr.ip}:${addr.port}`, ingressUrl })}\n`);
process.on('SIGTERM', () => void Promise.all([services.stop(), ingress.stop()]).then(() => process.exit(0)));

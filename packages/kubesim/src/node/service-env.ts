/** The slice of a Service the kubelet's service links need. */
export interface ServiceLinkSource {
  name: string;
  clusterIP?: string;
  ports: { name?: string; port: number; protocol?: string }[];
}

function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/**
 * The Docker-links style variables the kubelet injects for each Service with a ClusterIP
 * (`enableServiceLinks`, on by default): `NAME_SERVICE_HOST`, `NAME_SERVICE_PORT[_PORTNAME]`,
 * `NAME_PORT`, `NAME_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`. Headless Services get none.
 */
export function serviceLinkEnv(services: ServiceLinkSource[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const ip = s.clusterIP;
    if (!ip || ip === 'None' || s.ports.length === 0) continue;
    const prefix = envName(s.name);
    env[`${prefix}_SERVICE_HOST`] = ip;
    env[`${prefix}_SERVICE_PORT`] = String(s.ports[0]!.port);
    for (const p of s.ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    s.ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${ip}:${p.port}`;
      if (i === 0) env[`${prefix}_PORT`] = url;
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      env[pp] = url;
      env[`${pp}_PROTO`] = proto;
      env[`${pp}_PORT`] = String(p.port);
      env[`${pp}_ADDR`] = ip;
    });
  }
  return env;
}

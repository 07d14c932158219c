/**
 * The small slice of Kubernetes object shapes the proxies read. Objects arrive as untrusted JSON
 * from the API server, so every field is optional and readers must tolerate garbage: a bad object
 * may make its own route fail, never the proxy.
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface Service extends KubeObject {
  spec?: { clusterIP?: string; type?: string; selector?: Record<string, string>; ports?: ServicePort[] };
}

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }>;
  ports?: Array<{ name?: string | null; port?: number | null; protocol?: string | null }>;
}

/** core/v1 Endpoints, for Services without a selector whose owner wrote Endpoints by hand. */
export interface Endpoints extends KubeObject {
  subsets?: Array<{
    addresses?: Array<{ ip?: string; targetRef?: { name?: string } }>;
    notReadyAddresses?: Array<{ ip?: string }>;
    ports?: Array<{ name?: string; port?: number }>;
  }>;
}

export type Pod = KubeObject;

/** A namespaced object reference as "namespace/name". */
export function objectKey(obj: KubeObject): string {
  return `${obj?.metadata?.namespace ?? ''}/${obj?.metadata?.name ?? ''}`;
}

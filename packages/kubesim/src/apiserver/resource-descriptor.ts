import type { StatusCause } from './api-error.js';
import type { FieldSchema } from './resources/field-schemas.js';
import type { KubeObject } from './types.js';

/** Everything defaulting/validation hooks may need from the server without reaching into it. */
export interface ResourceHookContext {
  /** Allocates a Service clusterIP from the loopback range; undefined when exhausted. */
  allocateClusterIP(): string | undefined;
  /** A free NodePort (30000-32767) not in `taken`; undefined when exhausted. */
  allocateNodePort(taken: Set<number>): number | undefined;
  /** Why a requested nodePort cannot be used by the Service with uid `self`, or undefined. */
  nodePortProblem(port: number, self?: string): string | undefined;
  /** Why a requested clusterIP cannot be used (outside the range, taken), or undefined if it can. */
  clusterIPProblem(ip: string): string | undefined;
  /** Random 5-char suffix generator (generateName and generated labels). */
  randomSuffix(): string;
}

/** Where a scalable kind keeps its replica counts and selector, for the scale subresource. */
export interface ScaleSpec {
  /** Produces a label-selector string for Scale.status.selector. */
  selector(obj: KubeObject): string;
}

/** Subresources the server knows how to serve. */
export type Subresource = 'status' | 'scale' | 'log' | 'exec' | 'portforward' | 'binding' | 'eviction' | 'finalize' | 'token';

/**
 * One served resource (group/version/plural). Behaviour differences between kinds live here as data
 * and small hooks, never as switches in the request handlers.
 */
export interface ResourceDescriptor {
  group: string;
  version: string;
  /** Plural lower-case name used in URLs. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: Subresource[];
  /** Generation is bumped on changes outside metadata and status (apps, batch, CRs...). */
  generation?: boolean;
  /** PUT of a missing object creates it (Endpoints, Lease...). */
  allowCreateOnUpdate?: boolean;
  /** Propagation policy when a DELETE names none. */
  defaultPropagation?: 'Background' | 'Orphan' | 'Foreground';
  /** Name validation: DNS-1123 subdomain (most kinds), label (Namespace), DNS-1035 label (Service), path segment. */
  nameRule: 'subdomain' | 'label' | 'label1035' | 'path';
  /** Extra field selectors accepted beyond metadata.name and metadata.namespace. */
  fieldLabels?: string[];
  /** Server-side defaulting, in place, after creation or update. */
  defaults?(obj: KubeObject, ctx: ResourceHookContext, old?: KubeObject): void;
  /** Validation; `old` is set on updates. Returns field errors (422 when non-empty). */
  validate?(obj: KubeObject, old?: KubeObject): StatusCause[];
  /** Mutation on create before defaulting (e.g. Job generated selector). */
  prepareForCreate?(obj: KubeObject, ctx: ResourceHookContext): void;
  scale?: ScaleSpec;
  /** Custom resources: where the scale subresource reads and writes (CRD subresources.scale). */
  scalePaths?: { specReplicas: string; statusReplicas: string; labelSelector?: string };
  /**
   * Graceful deletion (pods): seconds the object stays with deletionTimestamp set before the
   * kubelet removes it; 0 deletes at once. Kinds without it are deleted immediately.
   */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** Create-only and never stored (access reviews): POST answers the defaulted object. */
  createOnly?: boolean;
  /** A create may carry status (Node: the kubelet registers with its status). Others drop it. */
  keepsStatusOnCreate?: boolean;
  /** Storing such an object makes the server serve more resources (CustomResourceDefinition). */
  definesResources?: boolean;
  /** Deletion marks the object Terminating and a controller finishes it (Namespace). */
  terminating?: boolean;
  /** Declared fields (built-in kinds): unknown ones are dropped, or rejected under fieldValidation=Strict. */
  fields?: FieldSchema;
  /** True for CRD-backed kinds: no strategic merge patch. */
  custom?: boolean;
  /** A CRD version's openAPIV3Schema: custom resources are validated and pruned against it. */
  schema?: Record<string, unknown>;
  /** Columns for kubectl's Table output (CRD additionalPrinterColumns; replace the default AGE). */
  columns?: TableColumn[];
}

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  description?: string;
  priority?: number;
  value(obj: KubeObject): string | number;
}

/** "apps/v1" or "v1". */
export function apiVersionOf(d: ResourceDescriptor): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

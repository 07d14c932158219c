/**
 * A Kubernetes object as read from a manifest file: the identifying fields typed, everything else
 * unknown (rules read it through narrow accessors). Structurally a subset of kube/kube-object.ts.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** A manifest holds the same objects the cluster does: one type for both (kube/kube-object.ts). */
export type { KubeObject } from '../kube/kube-object.js';

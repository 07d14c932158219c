/**
 * How long the kubelet's runtime steps take. A real node spends time where kubesim would not:
 * the pod sandbox (RunPodSandbox + CNI), the first pull of each image, creating and starting each
 * container. 'fast' (the default) spends none, for tests; 'realistic' puts in delays of the order
 * a containerd node shows for small images from a nearby registry (they are modelled figures, not
 * measurements; docs/versions.md "Timing model"). Probe periods, grace periods and back-offs are
 * Kubernetes' own in both models.
 */
export interface KubeletTimingModel {
  /** Once per pod, before its first container: sandbox and network set-up. */
  sandboxMs: number;
  /** The first time an image is used on this node, or every start under imagePullPolicy Always. */
  imagePullMs: number;
  /** Every container start (create + start). */
  containerStartMs: number;
}

export type KubeletTiming = 'fast' | 'realistic' | KubeletTimingModel;

export const timingModels = {
  fast: { sandboxMs: 0, imagePullMs: 0, containerStartMs: 0 },
  realistic: { sandboxMs: 800, imagePullMs: 2000, containerStartMs: 300 },
} satisfies Record<string, KubeletTimingModel>;

export function timingModel(t: KubeletTiming | undefined): KubeletTimingModel {
  return t === undefined ? timingModels.fast : typeof t === 'string' ? timingModels[t] : t;
}

// kubesim's kubelet: pods as local processes. See ../../docs/node.md.
export type { ImageConfig, ImageMap } from './image-map.js';
export { loadImageMap } from './image-map.js';
export type { Kubelet, KubeletOptions } from './kubelet.js';
export { startKubelet } from './kubelet.js';
export type { BackOffOptions } from './back-off.js';
export type { KubeletTiming, KubeletTimingModel } from './kubelet-timing.js';
export { timingModels } from './kubelet-timing.js';

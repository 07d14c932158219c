import type { KubeObject } from './kube-object.js';

/** One object from a manifest file, with where it came from. */
export interface LoadedManifest {
  object: KubeObject;
  file: string;
  /** 1-based line where the object starts (its document, or its entry in a List's items). */
  line: number;
  /**
   * 1-based line of the field at `path` (e.g. ['spec', 'template', 'spec', 'containers', 0,
   * 'image']); when the field is absent, the line of its nearest present parent, so a finding
   * about a missing field points at the object that lacks it.
   */
  pathLine(path: readonly (string | number)[]): number;
}

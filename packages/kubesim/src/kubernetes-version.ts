/**
 * The Kubernetes minor version kubesim serves (1.26 to 1.32, default 1.32). It decides what the
 * API server's discovery and /version say, which fields the decoder knows (a 1.29 server has no
 * `lifecycle.preStop.sleep`), and behaviour that changed between minors. Every version-dependent
 * behaviour is one named entry here, so docs/versions.md and the code cannot drift apart.
 */
export const oldestMinor = 26;
export const newestMinor = 32;

export interface KubernetesVersion {
  major: 1;
  minor: number;
  /** What /version reports as gitVersion, e.g. "v1.26.15-kubesim". */
  gitVersion: string;
}

/** Patch release kubesim reports per minor (the last patch of each line, for realistic version skew checks). */
const patches: Record<number, number> = { 26: 15, 27: 16, 28: 15, 29: 14, 30: 10, 31: 6, 32: 2 };

/** Parses "1.26", "v1.26" or "1.26.5"; throws a clear error outside 1.26-1.32. */
export function kubernetesVersion(text: string | number = `1.${newestMinor}`): KubernetesVersion {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(String(text).trim());
  const minor = m ? Number(m[1]) : NaN;
  if (!(minor >= oldestMinor && minor <= newestMinor)) {
    throw new Error(
      `unsupported Kubernetes version "${text}": kubesim serves 1.${oldestMinor} to 1.${newestMinor} (e.g. --kubernetes-version 1.26)`,
    );
  }
  return { major: 1, minor, gitVersion: `v1.${minor}.${patches[minor]}-kubesim` };
}

/** Behaviour that depends on the minor (each with the release that brought it on by default). */
export interface VersionFeatures {
  /** lifecycle.*.sleep handlers (PodLifecycleSleepAction, beta and on in 1.30). */
  sleepAction: boolean;
  /** Job: SuccessCriteriaMet before Complete, FailureTarget before Failed for every failure (1.31). */
  jobTerminalConditionsDelayed: boolean;
  /** Pod condition PodReadyToStartContainers (beta and on in 1.29). */
  podReadyToStartContainers: boolean;
  /** status.hostIPs beside hostIP (PodHostIPs, beta and on in 1.29). */
  hostIPs: boolean;
}

export function featuresOf(minor: number): VersionFeatures {
  return {
    sleepAction: minor >= 30,
    jobTerminalConditionsDelayed: minor >= 31,
    podReadyToStartContainers: minor >= 29,
    hostIPs: minor >= 29,
  };
}

/**
 * The version to behave as when attached to a server that says `gitVersion` (GET /version):
 * its minor, held to 1.26-1.32 (a kubelet joining a real 1.33 behaves as 1.32); unreadable -> newest.
 */
export function versionOfServer(gitVersion: string | undefined): KubernetesVersion {
  const minor = Number(/^v?1\.(\d+)/.exec(gitVersion ?? '')?.[1] ?? newestMinor);
  return kubernetesVersion(`1.${Math.min(newestMinor, Math.max(oldestMinor, minor))}`);
}

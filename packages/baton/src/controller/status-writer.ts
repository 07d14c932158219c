import type { KubeClient } from '../kube/kube-client.js';
import { releaseApiVersion, releaseKind, type Release, type ReleaseStatus } from './release.js';

/**
 * Writes a Release's status with optimistic concurrency: PUT …/status with the resourceVersion
 * the status was computed from. On a 409 (a human patched status.control meanwhile, or another
 * writer) it reads the Release again and recomputes from the fresh copy, so a request written
 * in between is never overwritten.
 */
export async function writeStatus(kube: KubeClient, release: Release, compute: (fresh: Release) => ReleaseStatus): Promise<Release> {
  let current = release;
  for (let attempt = 0; ; attempt++) {
    const status = compute(current);
    try {
      return await kube
        .customResources()
        .replaceStatus<Release>(releaseKind, { ...current, apiVersion: releaseApiVersion, kind: 'Release', status });
    } catch (error) {
      if (!(error as { conflict?: boolean }).conflict || attempt >= 8) throw error;
      const fresh = await kube.get<Release>({
        apiVersion: releaseApiVersion,
        kind: 'Release',
        name: current.metadata.name,
        namespace: current.metadata.namespace ?? 'default',
      });
      if (fresh === undefined) return current;
      current = fresh;
    }
  }
}

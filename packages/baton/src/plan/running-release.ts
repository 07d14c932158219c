import { matchesLabels, serviceSelector } from '../kube/label-selector.js';
import type { BatonSpec } from '../spec/schema.js';
import { parseImageRef } from '../spec/image-ref.js';
import type { LiveState } from './live-state.js';
import type { ReleaseRef } from './plan.js';

/** A Deployment of the app that has pods, and the image its app container runs. */
interface Running {
  deployment: string;
  image: string;
  /** The live Service's selector matches its pods. */
  served: boolean;
}

function running(spec: BatonSpec, live: LiveState): Running[] {
  const selector = serviceSelector(live.service);
  const routes = Object.keys(selector).length > 0;
  const out: Running[] = [];
  for (const d of live.deployments) {
    if ((d.spec.replicas ?? 1) === 0) continue;
    const containers = d.spec.template.spec.containers;
    const container = spec.image.container === undefined ? containers[0] : containers.find((c) => c.name === spec.image.container);
    if (!container?.image) continue;
    const labels = d.spec.template.metadata?.labels ?? {};
    const served = routes && matchesLabels(selector, labels);
    out.push({ deployment: d.metadata.name, image: container.image, served });
  }
  return out;
}

/** The release being replaced, and why it is not the recorded one when it is not. */
export interface RunningRelease {
  release: ReleaseRef;
  /** Set when baton's history names a release no Deployment runs: what to tell the user. */
  disagreement?: string;
}

/**
 * The release being replaced: the last one baton recorded, unless the cluster proves it wrong.
 * When no Deployment of the app with pods runs the recorded image (someone put another image
 * back by hand: `kubectl set image`, a GitOps sync), the cluster wins: planning from the history
 * would plan "v2 -> v2" and wait for the wrong version's sessions before a contract migration.
 * Rainbow releases live in Deployments named per release, which LiveState does not hold: there
 * the history stays the authority.
 */
export function runningRelease(spec: BatonSpec, live: LiveState, recorded: ReleaseRef): RunningRelease {
  const seen = spec.strategy.kind === 'rainbow' ? [] : running(spec, live);
  if (seen.length === 0 || seen.some((r) => r.image === recorded.image)) return { release: recorded };
  const pick = seen.find((r) => r.served) ?? seen[0]!;
  const release = { version: parseImageRef(pick.image).tag ?? pick.image, image: pick.image };
  return {
    release,
    disagreement: `baton's history says ${recorded.version} (${recorded.image}) runs, but no Deployment of the app runs it: Deployment ${pick.deployment} runs ${pick.image}, changed outside baton (or by a run that did not finish); planned from the cluster (from ${release.version})`,
  };
}

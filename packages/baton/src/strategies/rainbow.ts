import { toJsonObject } from '../json.js';
import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from './steps/rollout-step.js';
import type { PlannedStep } from '../engine/step.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { pinToLivePods } from './pin-service.js';
import { switchSelectorStep } from './steps/switch-selector-step.js';

export const releaseLabel = 'baton.dev/release';

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string>; [f: string]: unknown };
}

/** A version as an RFC 1123 name part: "v2.1.0_RC" -> "v2-1-0-rc"; at most `max` characters. */
export function releaseId(version: string, max = 40): string {
  const id = version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return id || 'release';
}

/** The Deployment (or Service) of one release: `<base>-<release id>`, within 63 characters. */
export function releaseObjectName(base: string, version: string): string {
  const id = releaseId(version);
  return `${base.slice(0, 62 - id.length)}-${id}`;
}

/**
 * Rainbow (the Spawn seed): every release is its own Deployment `<name>-<release>` with its own
 * pods, selected by `baton.dev/release`, and its own Service `<service>-<release>` that tests
 * and workers can reach. Integration tests (`rainbow.tests`, a job gate) run against it while the
 * app Service still points at the active release; activation then switches the Service selector
 * in one write. Older releases keep running — their long tasks finish where they started — until
 * `baton gc` finds them idle and old enough. Rollback re-activates a live older release by
 * switching back (no pod starts), or redeploys one that was collected.
 *
 * An app that was not rainbow yet (a plain Deployment behind a Service selecting `app: x`) is
 * adopted first: the Service is pinned to the live pods' pod-template-hash, so the new release's
 * pods, which carry `app: x` too, get no traffic before activation.
 */
export const rainbowStrategy: Strategy = {
  kind: 'rainbow',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.rainbow;
    const base = input.deployment.metadata.name;
    const service = input.service as ServiceLike | undefined;
    if (!service) throw new Error('rainbow needs the app Service in the manifests (activation switches its selector)');
    const label = input.deployment.spec.template.metadata?.labels?.[releaseLabel] ?? releaseId(input.version);
    const name = releaseObjectName(base, input.version);
    const releaseService = releaseObjectName(service.metadata.name, input.version);
    const baseSelector = { ...(service.spec?.selector ?? {}) };
    const newSelector = { ...baseSelector, [releaseLabel]: label };
    const liveSelector = (input.live.service as ServiceLike | undefined)?.spec?.selector ?? {};
    const warnings: string[] = [];
    const before: PlannedStep[] = [];

    // What the app Service must keep selecting until activation.
    let holdSelector: Record<string, string> | undefined = liveSelector[releaseLabel] !== undefined ? liveSelector : undefined;
    const plain = input.live.deployments.find((d) => d.metadata.name === base);
    if (!holdSelector && plain) {
      const pin = pinToLivePods({
        id: 'rainbow:adopt',
        service: service.metadata.name,
        deployment: base,
        hash: input.live.currentHash[base],
        baseSelector,
      });
      if (pin) {
        holdSelector = pin.selector;
        before.push(pin.step);
      } else warnings.push(`could not find the live ReplicaSet of ${base}; its Service will not be pinned before the new release starts`);
    }

    const deployment: DeploymentLike = structuredClone(input.deployment);
    deployment.metadata = {
      ...deployment.metadata,
      name,
      labels: { ...(deployment.metadata.labels ?? {}), [releaseLabel]: label, 'baton.dev/strategy': 'rainbow' },
    };
    // Each release's selector includes its release label, so no two Deployments claim the same pods.
    deployment.spec.selector = { matchLabels: { ...(deployment.spec.selector.matchLabels ?? {}), [releaseLabel]: label } };
    deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    deployment.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
    const image = input.spec.image.ref;
    const liveService: ServiceLike = {
      ...structuredClone(service),
      spec: { ...(service.spec ?? {}), selector: holdSelector ?? newSelector },
    };
    const ownService: ServiceLike = {
      ...structuredClone(service),
      metadata: {
        name: releaseService,
        labels: {
          ...(service.metadata.labels ?? {}),
          'baton.dev/app': input.spec.app,
          [releaseLabel]: label,
          'baton.dev/release-of': service.metadata.name,
        },
      },
      spec: { ...(service.spec ?? {}), selector: newSelector },
    };
    delete (ownService.spec as Record<string, unknown>).clusterIP;
    delete (ownService.spec as Record<string, unknown>).clusterIPs;

    before.push(
      plannedStep(rolloutStep, {
        id: `rollout:${name}`,
        reversible: true,
        title: `Start release ${input.version} as Deployment ${name} (${image}, ${deployment.spec.replicas ?? 1} replica(s)), no traffic yet`,
        params: {
          deployment: deployment,
          image,
          timeoutSeconds: options.progressDeadlineSeconds + 60,
          ...(input.configFrom ? { configFrom: input.configFrom } : {}),
        },
      }),
    );
    if (options.tests) {
      const t = options.tests;
      before.push({
        id: 'rainbow:tests',
        kind: 'gate',
        reversible: true,
        title: `Integration tests against release ${input.version} (Service ${releaseService}): ${t.command ? `\`${t.command.join(' ')}\`` : 'Kubernetes Job'}`,
        params: {
          gate: toJsonObject({
            kind: 'job',
            app: input.spec.app,
            release: label,
            service: releaseService,
            timeoutSeconds: t.timeoutSeconds,
            ...(t.command ? { command: t.command } : {}),
            ...(t.job ? { job: t.job } : {}),
            ...(t.env ? { env: t.env } : {}),
          }),
          intervalMs: 0,
          count: 1,
          failureLimit: 0,
          timeoutMs: (t.timeoutSeconds + 60) * 1000,
          inconclusive: 'fail',
        },
      });
    }
    const active = liveSelector[releaseLabel];
    const after: PlannedStep[] = [
      plannedStep(switchSelectorStep, {
        id: 'rainbow:activate',
        reversible: true,
        title: `Activate release ${input.version}: Service ${service.metadata.name} -> ${releaseLabel}=${label}${active ? ` (was ${active}, which keeps running)` : ''}`,
        params: { service: service.metadata.name, selector: newSelector },
      }),
    ];
    if (input.spec.database?.migrations) {
      // Backfill and contract wait until no pod of an older release is left; in a rainbow that is
      // when `baton gc` has collected them all, which may be hours: the run would wait that long.
      warnings.push(
        'rainbow keeps older releases running: backfill/contract migrations wait until `baton gc` has collected every older release; ship them in a later release (migrations.target) so this run does not wait for the drain',
      );
    }
    if (!options.gc)
      warnings.push('strategy.rainbow.gc is not set: older releases keep running until you delete them (`baton gc` needs it)');
    return {
      serviceObjects: [liveService, ownService],
      beforeVerify: before,
      afterVerify: after,
      verifyTarget: { newDeployment: name, service: releaseService },
      trafficSwitch: 'rainbow:activate',
      serving: { deployment: name, selector: newSelector },
      ...(holdSelector ? { previousSelector: holdSelector } : {}),
      warnings,
    };
  },
};

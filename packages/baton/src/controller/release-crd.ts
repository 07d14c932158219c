import { z } from 'zod';
import type { KubeObject } from '../kube/kube-object.js';
import { specSchema } from '../spec/schema.js';
import { releaseKind } from './release.js';
import { toStructural, type JsonSchemaNode, type StructuralSchema } from './structural-schema.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const counts = { type: 'object', additionalProperties: int } as const;
const probeCounters = {
  requests: int,
  failed: int,
  streamsStarted: int,
  streamsCut: int,
  writes: int,
  lostWrites: int,
  byVersion: counts,
};

/** The status the controller writes; declared so `kubectl explain` and printer columns work. */
const statusSchema: StructuralSchema = {
  type: 'object',
  properties: {
    phase: {
      type: 'string',
      enum: ['Pending', 'Waiting', 'Running', 'Paused', 'Halted', 'RollingBack', 'Succeeded', 'RolledBack', 'Aborted', 'Invalid', 'Failed'],
    },
    message: str,
    observedGeneration: int,
    specHash: str,
    runId: str,
    app: str,
    fromVersion: str,
    toVersion: str,
    strategy: str,
    startedAt: str,
    finishedAt: str,
    holder: str,
    stepsOmitted: int,
    journalRef: { type: 'object', properties: { configMap: str } },
    currentStep: { type: 'object', properties: { id: str, title: str, kind: str, startedAt: str, progress: str } },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: str,
          kind: str,
          title: str,
          state: str,
          reversible: { type: 'boolean' },
          startedAt: str,
          finishedAt: str,
          message: str,
        },
      },
    },
    pointOfNoReturn: { type: 'object', properties: { reached: { type: 'boolean' }, step: str } },
    probe: {
      type: 'object',
      properties: {
        target: str,
        ...probeCounters,
        segments: { type: 'array', items: { type: 'object', properties: { holder: str, startedAt: str, ...probeCounters } } },
        recordRef: { type: 'object', properties: { configMap: str } },
      },
    },
    gates: { type: 'array', items: { type: 'object', properties: { step: str, verdict: str, reason: str, at: str } } },
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'status'],
        properties: { type: str, status: str, reason: str, message: str, lastTransitionTime: str, observedGeneration: int },
      },
    },
    control: {
      type: 'object',
      description: 'requests from humans: merge-patch the status subresource (baton release promote|abort|pause|retry)',
      properties: {
        promote: { type: 'boolean', nullable: true },
        abort: { type: 'boolean', nullable: true },
        pause: { type: 'boolean', nullable: true },
        retry: { type: 'boolean', nullable: true },
        reason: { type: 'string', nullable: true },
      },
    },
  },
};

/** The JSON Schema of baton.yaml (from the zod schema), made structural for the CRD. */
export function upgradeSpecSchema(): StructuralSchema {
  const json = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const structural = toStructural(json);
  structural.description = 'the upgrade spec: a baton.yaml, as written (manifests and migrations paths point into spec.inputs)';
  return structural;
}

/** The Release CustomResourceDefinition (baton.dev/v1alpha1, namespaced, status subresource). */
export function releaseCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${releaseKind.plural}.${releaseKind.group}`,
      labels: { 'app.kubernetes.io/name': 'baton', 'app.kubernetes.io/component': 'crd' },
    },
    spec: {
      group: releaseKind.group,
      scope: 'Namespaced',
      names: {
        plural: releaseKind.plural,
        singular: 'release',
        kind: 'Release',
        listKind: 'ReleaseList',
        shortNames: ['brel'],
        categories: ['baton'],
      },
      versions: [
        {
          name: releaseKind.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'App', type: 'string', jsonPath: '.spec.upgrade.app' },
            { name: 'From', type: 'string', jsonPath: '.status.fromVersion' },
            { name: 'To', type: 'string', jsonPath: '.status.toVersion' },
            { name: 'Strategy', type: 'string', jsonPath: '.status.strategy' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Step', type: 'string', jsonPath: '.status.currentStep.id' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: "One upgrade of one app, run in the cluster by baton's controller.",
              required: ['spec'],
              properties: {
                apiVersion: str,
                kind: str,
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['upgrade', 'inputs'],
                  properties: {
                    upgrade: upgradeSpecSchema(),
                    inputs: {
                      type: 'array',
                      description: 'immutable ConfigMaps with the files the spec names (baton upgrade --in-cluster writes them)',
                      items: {
                        type: 'object',
                        required: ['configMap', 'sha256'],
                        properties: { configMap: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
                      },
                    },
                  },
                },
                status: statusSchema,
              },
            },
          },
        },
      ],
    },
  };
}

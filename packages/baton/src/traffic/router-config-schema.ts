import { z } from 'zod';
import type { RouterConfig, RouterKind } from './traffic-router.js';

const kinds = ['service-selector', 'nginx-ingress', 'gateway-api', 'istio', 'replica-ratio'] as const satisfies readonly RouterKind[];
const labels = z.record(z.string(), z.string());

/** RouterConfig as step params carry it: checked when a step (or a status view) reads it back. */
export const routerConfigSchema = z
  .object({
    kind: z.enum(kinds),
    namespace: z.string(),
    stableService: z.string(),
    canaryService: z.string(),
    port: z.number(),
    host: z.string().optional(),
    path: z.string().optional(),
    ingress: z.string().optional(),
    httpRoute: z.string().optional(),
    gateway: z.string().optional(),
    virtualService: z.string().optional(),
    canaryPodLabels: labels.optional(),
    stableDeployment: z.string().optional(),
    canaryDeployment: z.string().optional(),
    totalReplicas: z.number().optional(),
    stableSelector: labels.optional(),
    canarySelector: labels.optional(),
    adopt: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<RouterConfig>;

import { z } from 'zod';

/** Where a pod's open long-lived connections are read: the app's own Prometheus-text metric. */
export const connectionMetricSchema = z
  .object({
    port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]).describe('container port (number or name) serving the metric'),
    path: z.string().startsWith('/').default('/metrics'),
    metric: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name')
      .describe('a gauge of open connections/streams, summed over its samples, e.g. demo_open_streams'),
    labels: z.record(z.string(), z.string()).optional().describe('only samples with these label values count'),
  })
  .strict();

export type ConnectionMetric = z.output<typeof connectionMetricSchema>;

import type { JsonObject } from '../json.js';
import type { HeaderRoute } from './traffic-router.js';

/** HeaderRoute <-> step params / checkpoints (JSON only). */
export function headerRouteToJson(route: HeaderRoute | null): JsonObject | null {
  return route === null ? null : { ...route };
}

export function headerRouteFromJson(value: unknown): HeaderRoute | null {
  if (value === null || value === undefined || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (v.kind === 'header' && typeof v.name === 'string' && typeof v.value === 'string')
    return { kind: 'header', name: v.name, value: v.value };
  if (v.kind === 'cookie' && typeof v.name === 'string') return { kind: 'cookie', name: v.name };
  return null;
}

// The spec's public surface (package export "./spec"): the types of a resolved baton.yaml, its
// schema (also as JSON Schema), and the loaders that report problems with file:line.
export { specSchema } from './schema.js';
export type { BatonSpec, HookSpec, ProbeSpec, DatabaseSpec, SecretRef, RainbowSpec, TrafficSpec, CanarySpec, AbSpec } from './schema.js';
export { loadSpec, parseSpec, type LoadedSpec, type SpecProblem } from './load-spec.js';
export { specJsonSchema } from './json-schema.js';

import { readFileSync } from 'node:fs';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { computeTemplateHash, podTemplateDump } from '../controllers/template-hash.js';

// pod-template-hash cost: the go-spew dump of a template (the uncached work of a Deployment sync)
// and a cached computeTemplateHash call (serialization for the cache key, the common case).
// Run: node packages/kubesim/dist/bench/template-hash-bench.js. Figures are printed, never asserted.

interface Fixture {
  name: string;
  template: V1PodTemplateSpec;
}

const fixtures: Fixture[] = JSON.parse(readFileSync(new URL('../../src/controllers/template-hash.fixtures.json', import.meta.url), 'utf8'));
const rounds = 2000;

function perCall(fn: () => void): number {
  for (let i = 0; i < 100; i++) fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return ((performance.now() - start) * 1000) / rounds;
}

for (const name of ['minimal', 'probes', 'tolerations and affinity']) {
  const template = fixtures.find((f) => f.name === name)?.template;
  if (!template) throw new Error(`no fixture ${name}`);
  const dump = perCall(() => podTemplateDump(template));
  const cached = perCall(() => computeTemplateHash(template, undefined));
  const size = podTemplateDump(template).text.length;
  console.log(`${name}: dump ${dump.toFixed(1)} us (${size} chars), cached hash ${cached.toFixed(1)} us`);
}

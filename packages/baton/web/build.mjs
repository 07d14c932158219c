#!/usr/bin/env node
// Builds the dashboard's page (web/src -> dist/web/app.js + app.css) with esbuild, after
// type-checking it with tsc. Run by the root `build`, `prepare`, `test` and `demo` scripts, so
// `npm ci` and `npm test` always serve a fresh bundle; dist/ is not committed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'web');
const require = createRequire(import.meta.url);

const tscBin = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const tsc = spawnSync(process.execPath, [tscBin, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
const uplotCss = await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
await writeFile(join(out, 'app.css'), `${uplotCss}\n${await readFile(join(here, 'src', 'app.css'), 'utf8')}`);

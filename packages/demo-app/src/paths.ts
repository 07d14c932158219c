import { fileURLToPath } from 'node:url';

/**
 * Where this package lives on disk, for tools that start it (kubesim's image map, `baton demo`).
 * `@baton/demo-app/package.json` is not resolvable (the exports map has no "./package.json"),
 * so use these instead: `import { demoAppDir } from '@baton/demo-app/paths'`.
 */
export const demoAppDir: string = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
/** The kubesim image map for demo/app:v1, v2, v3 and v2-bad. */
export const imagesFile: string = fileURLToPath(new URL('../images.yaml', import.meta.url));
/** The expand/contract migrations 0001..0004. */
export const migrationsDir: string = fileURLToPath(new URL('../migrations', import.meta.url));

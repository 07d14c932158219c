import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../errors.js';

/** Where `npm run build` (scripts/build-web.mjs) writes the page's bundle: packages/baton/dist/web. */
export const defaultAssetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');

export interface WebAssets {
  js: Buffer;
  css: Buffer;
}

/** The bundled page, read once. A missing bundle is a clear error naming the build step. */
export async function loadWebAssets(dir = defaultAssetsDir): Promise<WebAssets> {
  try {
    const [js, css] = await Promise.all([readFile(join(dir, 'app.js')), readFile(join(dir, 'app.css'))]);
    return { js, css };
  } catch (cause) {
    throw new BatonError('DASHBOARD_NOT_BUILT', `the dashboard's page is not built (${join(dir, 'app.js')} is missing)`, {
      cause,
      hint: 'run `npm run build` (or `npm ci`) at the repository root',
    });
  }
}

/** The one html page: no data in it (data comes from the API with the token), relative asset URLs. */
export const indexHtml = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>baton dashboard</title>
<link rel="stylesheet" href="assets/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="assets/app.js"></script>
</body>
</html>
`;

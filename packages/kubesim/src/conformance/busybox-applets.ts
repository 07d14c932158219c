import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// busybox's httpd as the scenarios use it: `httpd -f -p [IP:]PORT -h DIR` serves DIR's files
// (index.html for "/") in the foreground, 404 for anything else.
const httpd = `#!${process.execPath}
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const opt = (f, d) => { const i = args.indexOf(f); return i >= 0 ? args[i + 1] : d; };
const listen = opt('-p', '80');
const colon = listen.lastIndexOf(':');
const host = colon >= 0 ? listen.slice(0, colon) : '0.0.0.0';
const port = Number(colon >= 0 ? listen.slice(colon + 1) : listen);
const root = path.resolve(opt('-h', '.'));
http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(root, rel.endsWith('/') ? rel + 'index.html' : rel);
  fs.readFile(file.startsWith(root) ? file : '', (err, data) => {
    if (err) { res.writeHead(404, { 'content-type': 'text/html' }); res.end('404 Not Found\\n'); return; }
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': data.length });
    res.end(data);
  });
}).listen(port, host);
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * The busybox applets a conformance scenario needs that a host's PATH lacks, as executables in a
 * temporary directory. kubesim maps busybox images onto the host's commands (sh, sleep); this
 * directory, first on the image's PATH, fills the gap so the scenario's command stays the one a
 * real busybox container runs.
 */
export async function busyboxApplets(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-busybox-'));
  await writeFile(join(dir, 'httpd'), httpd);
  await chmod(join(dir, 'httpd'), 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

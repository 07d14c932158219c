// The bad-input corpus: the real CLI (dist/cli/bin.js as a child process, argv arrays) given
// hostile or mistaken input. Each answer must be the documented exit code, a message that names
// what is wrong, where, and how to fix it, no stack trace, and no file created or changed. None
// of these needs a cluster: bad input is refused before baton connects to anything (the
// kubeconfig points nowhere, so a command that got as far as connecting would exit 5 instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodes } from './exit-codes.js';
import { runProcess } from './testing/run-process.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), 'bin.js');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: shop/web:v1, readinessProbe: { httpGet: { path: /, port: 8080 } } }]
`;
const service = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`;
const spec = (extra = '', image = 'shop/web:v2'): string => `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: web
namespace: shop
manifests: [k8s/]
image: { ref: ${JSON.stringify(image)} }
${extra}`;

/** A kubeconfig with one context, ctx1, whose server nothing answers (it is never reached). */
const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c1, cluster: { server: "https://127.0.0.1:9" } }]
users: [{ name: u1, user: { token: not-a-secret } }]
contexts: [{ name: ctx1, context: { cluster: c1, user: u1 } }]
current-context: ctx1
`;

/** A YAML "billion laughs": 9 levels of 9 aliases, a few hundred bytes that expand to 9^9 nodes. */
const aliasBomb = (key: string): string => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n${key}: *a8\n`;
};

/** A journal of a run that ended `status` (what `baton upgrade` leaves under .baton/runs). */
const endedRun = (status: string): Record<string, string> => {
  const runId = `r-${status}`;
  const lines = [
    {
      at: 1,
      runId,
      type: 'run-started',
      app: 'web',
      namespace: 'shop',
      steps: [{ id: 'rollout:web', kind: 'rollout', title: 'roll out web', reversible: true, params: {} }],
      meta: {},
    },
    { at: 2, runId, type: 'run-finished', status, reason: 'as recorded' },
  ];
  return { [`.baton/runs/${runId}.jsonl`]: lines.map((l) => `${JSON.stringify(l)}\n`).join('') };
};

interface BadInput {
  name: string;
  args: string[];
  /** Files of the project folder, over a valid baton.yaml + k8s/app.yaml + k8s/service.yaml. */
  files?: Record<string, string | Buffer>;
  env?: Record<string, string>;
  code: number;
  /** What baton must say (stderr, then stdout: -o json answers there): what is wrong and where. */
  message: RegExp;
}

const corpus: BadInput[] = [
  // The spec file itself.
  { name: 'missing spec file', args: ['plan', '-f', 'nope.yaml'], code: 2, message: /cannot read .*nope\.yaml[\s\S]*--spec/ },
  { name: 'spec that is a directory', args: ['plan', '-f', 'k8s'], code: 2, message: /k8s.*(directory|folder)[\s\S]*--spec/i },
  {
    name: 'invalid YAML',
    args: ['plan'],
    files: { 'baton.yaml': 'app: [unclosed\nimage: {\n' },
    code: 2,
    message: /baton\.yaml:\d+:\d+: YAML syntax error/,
  },
  {
    name: 'YAML alias bomb in the spec',
    args: ['plan'],
    files: { 'baton.yaml': spec(aliasBomb('labels')) },
    code: 2,
    message: /baton\.yaml.*alias/i,
  },
  { name: 'empty spec file', args: ['plan'], files: { 'baton.yaml': '' }, code: 2, message: /baton\.yaml[\s\S]*(empty|app)/i },
  {
    name: 'binary garbage as spec',
    args: ['plan'],
    files: { 'baton.yaml': Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) },
    code: 2,
    message: /baton\.yaml/,
  },
  { name: 'spec that is a YAML list', args: ['plan'], files: { 'baton.yaml': '- a\n- b\n' }, code: 2, message: /baton\.yaml/ },
  // Fields of the spec.
  { name: 'unknown field', args: ['plan'], files: { 'baton.yaml': spec('colour: blue\n') }, code: 2, message: /baton\.yaml:7:\d+.*colour/ },
  {
    name: 'wrong type',
    args: ['plan'],
    files: { 'baton.yaml': spec('probe: { rps: fast }\n') },
    code: 2,
    message: /baton\.yaml:7:\d+ probe\.rps/,
  },
  { name: 'negative number', args: ['plan'], files: { 'baton.yaml': spec('probe: { rps: -1 }\n') }, code: 2, message: /probe\.rps/ },
  { name: 'huge number', args: ['plan'], files: { 'baton.yaml': spec('probe: { rps: 1e12 }\n') }, code: 2, message: /probe\.rps/ },
  {
    name: 'unknown strategy',
    args: ['plan'],
    files: { 'baton.yaml': spec('strategy: { kind: zigzag }\n') },
    code: 2,
    message: /strategy\.kind[\s\S]*rolling/,
  },
  {
    name: 'manifest path outside the folder',
    args: ['plan'],
    files: { 'baton.yaml': spec().replace('[k8s/]', '[/etc/passwd]') },
    code: 2,
    message: /manifests.*outside the folder/,
  },
  {
    name: 'manifest path up and out',
    args: ['plan'],
    files: { 'baton.yaml': spec().replace('[k8s/]', '[../../etc]') },
    code: 2,
    message: /manifests.*outside the folder/,
  },
  {
    name: 'migrations outside the folder',
    args: ['plan'],
    files: { 'baton.yaml': spec('database: { dialect: postgres, migrations: { dir: /etc } }\n') },
    code: 2,
    message: /migrations.*outside the folder/,
  },
  {
    name: 'image with a shell command',
    args: ['plan'],
    files: { 'baton.yaml': spec('', 'shop/web:v2; touch pwned') },
    code: 2,
    message: /image\.ref: is not an image reference/,
  },
  {
    name: 'file:// probe URL in the spec',
    args: ['plan'],
    files: { 'baton.yaml': spec('probe: { url: "file:///etc/passwd" }\n') },
    code: 2,
    message: /probe\.url[\s\S]*http/,
  },
  {
    name: 'missing manifests folder',
    args: ['plan'],
    files: { 'baton.yaml': spec().replace('[k8s/]', '[deploy/]') },
    code: 2,
    message: /deploy/,
  },
  {
    name: 'missing migrations folder',
    args: ['plan'],
    files: { 'baton.yaml': spec('database: { dialect: postgres, migrations: { dir: migrations } }\n') },
    code: 2,
    message: /migrations/,
  },
  {
    name: 'folder named like a migration',
    args: ['plan'],
    files: {
      'baton.yaml': spec('database: { dialect: postgres, migrations: { dir: migrations } }\n'),
      'migrations/0001_init.sql/.keep': '',
    },
    code: 2,
    message: /0001_init\.sql is a folder, not a migration file/,
  },
  {
    name: 'migration that is not UTF-8',
    args: ['plan'],
    files: {
      'baton.yaml': spec('database: { dialect: postgres, migrations: { dir: migrations } }\n'),
      'migrations/0001_init.sql': Buffer.from("CREATE TABLE t (a int);\nCOMMENT ON TABLE t IS 'caf\xe9';\n", 'latin1'),
    },
    code: 2,
    message: /0001_init\.sql:2: not valid UTF-8[\s\S]*hint: save the file as UTF-8/,
  },
  {
    name: 'check of a migration that is not UTF-8',
    args: ['check', '--migrations', 'migrations'],
    files: { 'migrations/0001_init.sql': Buffer.from([0x53, 0x45, 0x4c, 0xff, 0x0a]) },
    code: 2,
    message: /0001_init\.sql:1: not valid UTF-8/,
  },
  // Manifests.
  {
    name: 'YAML alias bomb in a manifest',
    args: ['plan'],
    files: { 'k8s/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb, namespace: shop }\n${aliasBomb('data')}` },
    code: 2,
    message: /bomb\.yaml.*alias/i,
  },
  {
    name: 'Deployment without selector',
    args: ['plan'],
    files: { 'k8s/app.yaml': deployment.replace('  selector: { matchLabels: { app: web } }\n', '') },
    code: 2,
    message: /app\.yaml[\s\S]*selector/,
  },
  {
    name: 'replicas as a word',
    args: ['plan'],
    files: { 'k8s/app.yaml': deployment.replace('replicas: 2', 'replicas: "three"') },
    code: 2,
    message: /app\.yaml[\s\S]*replicas/,
  },
  {
    name: 'negative replicas',
    args: ['plan'],
    files: { 'k8s/app.yaml': deployment.replace('replicas: 2', 'replicas: -3') },
    code: 2,
    message: /app\.yaml[\s\S]*replicas/,
  },
  {
    name: 'binary garbage as a manifest',
    args: ['plan'],
    files: { 'k8s/junk.yaml': Buffer.from([0x00, 0xff, 0x00, 0x7f, 0x80]) },
    code: 2,
    message: /junk\.yaml/,
  },
  // Flags and arguments.
  { name: 'unknown option', args: ['plan', '--frobnicate'], code: 2, message: /unknown option '--frobnicate'/ },
  { name: 'unknown command', args: ['upgrayedd'], code: 2, message: /unknown command 'upgrayedd'/ },
  {
    name: 'bad -o value',
    args: ['plan', '-o', 'yaml'],
    code: 2,
    message: /'-o, --output <format>' argument 'yaml' is invalid\. Allowed choices are text, json/,
  },
  {
    name: 'negative --rps before the demo starts anything',
    args: ['demo', '--rps', '-1'],
    code: 2,
    message: /'--rps <n>' argument '-1' is invalid\. Allowed: a number above 0/,
  },
  {
    name: 'unknown demo strategy',
    args: ['demo', '--strategy', 'zigzag'],
    code: 2,
    message: /argument 'zigzag' is invalid\. Allowed choices are rolling/,
  },
  {
    name: 'probe duration 0',
    args: ['probe', 'http://127.0.0.1:9', '--duration', '0'],
    code: 2,
    message: /'--duration <seconds>' argument '0' is invalid/,
  },
  {
    name: 'probe rps in hex',
    args: ['probe', 'http://127.0.0.1:9', '--rps', '0x10'],
    code: 2,
    message: /'--rps <n>' argument '0x10' is invalid/,
  },
  {
    name: 'probe streams fractional',
    args: ['probe', 'http://127.0.0.1:9', '--streams', '1.5'],
    code: 2,
    message: /'--streams <n>' argument '1\.5' is invalid\. Allowed: a whole number/,
  },
  { name: 'probe URL that is not a URL', args: ['probe', 'not-a-url'], code: 2, message: /probe URL "not-a-url" is not a URL/ },
  { name: 'probe file:// URL', args: ['probe', 'file:///etc/passwd'], code: 2, message: /is not http:\/\/ or https:\/\// },
  {
    name: 'gc --min-age without unit',
    args: ['gc', '--min-age', '30'],
    code: 2,
    message: /'--min-age <duration>' argument '30' is invalid\. Allowed: .*30m/,
  },
  { name: 'status --interval 0', args: ['status', '--interval', '0'], code: 2, message: /'--interval <ms>' argument '0' is invalid/ },
  {
    name: 'dashboard --port too big',
    args: ['dashboard', '--port', '70000'],
    code: 2,
    message: /'--port <n>' argument '70000' is invalid/,
  },
  {
    name: 'controller --metrics-address without port',
    args: ['controller', '--metrics-address', 'localhost'],
    code: 2,
    message: /'--metrics-address <host:port>' argument 'localhost' is invalid/,
  },
  { name: 'check of a missing migrations folder', args: ['check', '--migrations', 'nope'], code: 2, message: /nope/ },
  {
    name: 'unknown --context',
    args: ['plan', '--kubeconfig', 'kc.yaml', '--context', 'nope'],
    files: { 'kc.yaml': kubeconfig },
    code: 2,
    message: /--context nope: the kubeconfig has no such context \(it has: ctx1\)/,
  },
  // Run ids.
  {
    name: 'run id with ../ (status)',
    args: ['status', '../../etc'],
    code: 2,
    message: /run id "\.\.\/\.\.\/etc" cannot name a journal file[\s\S]*letters, digits/,
  },
  { name: 'run id with ../ (report)', args: ['report', '../x'], code: 2, message: /run id "\.\.\/x" cannot name a journal file/ },
  { name: 'run id with ../ (resume)', args: ['resume', '../x'], code: 2, message: /run id "\.\.\/x" cannot name a journal file/ },
  { name: 'run id with ../ (abort)', args: ['abort', '../x'], code: 2, message: /run id "\.\.\/x" cannot name a journal file/ },
  { name: 'nonexistent run id (resume)', args: ['resume', 'nope'], code: 2, message: /no run nope/ },
  { name: 'nonexistent run id (promote)', args: ['promote', 'nope'], code: 2, message: /no run nope/ },
  { name: 'nonexistent run id (status)', args: ['status', 'nope'], code: 2, message: /no run nope/ },
  { name: 'nonexistent run id (report)', args: ['report', 'nope'], code: 2, message: /nope/ },
  // Runs that already ended: resume, abort and promote agree (exit 2, nothing written, no
  // cluster needed); status exits by how the run stands (README "Exit codes").
  {
    name: 'resume of a run that succeeded',
    args: ['resume', 'r-succeeded'],
    files: endedRun('succeeded'),
    code: 2,
    message: /cannot resume run r-succeeded: it already ended succeeded[\s\S]*hint: .*baton rollback/,
  },
  {
    name: 'resume of a run that rolled back',
    args: ['resume', 'r-rolled-back'],
    files: endedRun('rolled-back'),
    code: 2,
    message: /cannot resume run r-rolled-back: it already ended rolled-back/,
  },
  {
    name: 'abort of a run that rolled back',
    args: ['abort', 'r-rolled-back'],
    files: endedRun('rolled-back'),
    code: 2,
    message: /cannot abort run r-rolled-back: it already ended rolled-back/,
  },
  {
    name: 'promote of a run that succeeded',
    args: ['promote', 'r-succeeded'],
    files: endedRun('succeeded'),
    code: 2,
    message: /cannot promote run r-succeeded: it already ended succeeded/,
  },
  {
    name: 'status of a run that rolled back',
    args: ['status', 'r-rolled-back'],
    files: endedRun('rolled-back'),
    code: exitCodes.failed,
    message: /run r-rolled-back \(shop\/web\): rolled-back/,
  },
  {
    name: 'status of a halted run',
    args: ['status', 'r-halted'],
    files: endedRun('halted'),
    code: exitCodes.halted,
    message: /run r-halted \(shop\/web\): halted/,
  },
  {
    name: 'status of a paused run',
    args: ['status', 'r-paused'],
    files: endedRun('paused'),
    code: exitCodes.paused,
    message: /run r-paused \(shop\/web\): paused/,
  },
  {
    name: 'status of a run that succeeded',
    args: ['status', 'r-succeeded'],
    files: endedRun('succeeded'),
    code: exitCodes.ok,
    message: /run r-succeeded \(shop\/web\): succeeded/,
  },
  // Machine output keeps the same exit code and says the same in JSON.
  {
    name: 'bad flag value, -o json',
    args: ['demo', '--rps', '0', '-o', 'json'],
    code: 2,
    message: /"code": "USAGE",\s+"message": "option '--rps <n>' argument '0' is invalid/,
  },
  { name: 'missing spec file, -o json', args: ['plan', '-f', 'nope.yaml', '-o', 'json'], code: 2, message: /"code": ?"SPEC_NOT_FOUND"/ },
];

/** Every file under dir with its size and mtime: what "nothing changed" is checked against. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const s = await stat(full);
    out.push(`${full.slice(dir.length)} ${entry.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`}`);
  }
  return out.sort();
}

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bad-input-'));
  const all: Record<string, string | Buffer> = { 'baton.yaml': spec(), 'k8s/app.yaml': deployment, 'k8s/service.yaml': service, ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

test('the valid project of the corpus gets as far as the cluster (so each case fails for its own reason)', async () => {
  const dir = await project({});
  try {
    const { code, stderr } = await runProcess(process.execPath, [bin, 'plan'], {
      cwd: dir,
      env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') },
    });
    assert.equal(code, exitCodes.unreachable, stderr);
    assert.match(stderr, /kubeconfig/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const c of corpus) {
  test(`bad input: ${c.name} -> exit ${c.code}`, async () => {
    const dir = await project(c.files ?? {});
    try {
      const before = await snapshot(dir);
      const env = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), NO_COLOR: '1', ...c.env };
      const { code, stdout, stderr } = await runProcess(process.execPath, [bin, ...c.args], { cwd: dir, env });
      assert.equal(code, c.code, `exit ${code}\nstdout: ${stdout.slice(0, 600)}\nstderr: ${stderr.slice(0, 1500)}`);
      assert.match(`${stderr}${stdout}`, c.message);
      assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
      assert.doesNotMatch(`${stdout}${stderr}`, /root:x:0:0/, 'nothing of /etc/passwd is printed');
      assert.deepEqual(await snapshot(dir), before, 'nothing was created or changed (no state dir, no report)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect, StringCodec } from 'nats';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

test('worker: takes tasks from tasks.<release>.> only, exports demo_active_tasks{release}, finishes its task on SIGTERM', {
  timeout: 30_000,
}, async () => {
  let nats: Awaited<ReturnType<typeof connect>>;
  try {
    nats = await connect({ servers: '127.0.0.1:4222', timeout: 3000 });
  } catch (error) {
    throw new Error(`NATS is needed at 127.0.0.1:4222: ${(error as Error).message}`);
  }
  const release = `t${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, [WORKER], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', APP_VERSION: 'v2', BATON_RELEASE: release },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const until = async (what: string, check: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('the worker to listen', () => / on 127\.0\.0\.1:\d+,/.test(out));
    const port = /on 127\.0\.0\.1:(\d+),/.exec(out)![1];
    const metric = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(new RegExp(`demo_active_tasks\\{release="${release}"\\} (\\d+)`).exec(text)?.[1]);
    };
    assert.equal(await metric(), 0);
    const codec = StringCodec();
    nats.publish(`tasks.other-${release}.x`, codec.encode('{"ms": 5000}')); // another release's subject
    nats.publish(`tasks.${release}.build`, codec.encode('{"ms": 1500}'));
    await nats.flush();
    await until('the task to start', async () => (await metric()) === 1);
    const home = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string; release: string };
    assert.deepEqual([home.version, home.release], ['v2', release]);

    const termAt = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out);
    assert.ok(Date.now() - termAt >= 800, 'it waited for the running task before exiting');
    assert.match(out, /task on tasks\.[^ ]+\.build done/);
    assert.doesNotMatch(out, /tasks\.other-/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await nats.close();
  }
});

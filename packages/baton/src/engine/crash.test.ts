import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestAbort, resumeRun, startRun } from './engine.js';
import type { RunOutcome } from './run-outcome.js';
import type { JournalEntry } from './journal.js';
import { FileJournal } from './file-journal.js';
import { FileLock } from './file-lock.js';
import { deriveRunState } from './run-state.js';
import { createFileStepKind, crashScenario, readState } from './testing/file-step-kind.js';

const child = fileURLToPath(new URL('./testing/crash-child.js', import.meta.url));
const initialState = { s1: 'old' };

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(config: object): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface EndState {
  status: string;
  reason: string | undefined;
  file: object;
}

async function prepare(): Promise<{ dir: string; stateFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-crash-'));
  const stateFile = join(dir, 'state.json');
  await writeFile(stateFile, JSON.stringify(initialState));
  return { dir, stateFile };
}

async function endState(dir: string, stateFile: string, outcome: RunOutcome): Promise<EndState> {
  const journal = new FileJournal({ dir });
  const state = deriveRunState(await journal.read('run'));
  assert.equal(state.status, outcome.status, 'the journal agrees with the outcome');
  return { status: outcome.status, reason: outcome.reason, file: readState(stateFile) };
}

/**
 * Every place to kill, read off the reference run's journal: after each durable entry, and
 * inside each step run and each undo that the reference run performed.
 */
function killPoints(reference: JournalEntry[]): string[] {
  const points = reference.map((_entry, i) => `entry:${i + 1}`);
  for (const entry of reference) {
    if (entry.type === 'step-started') points.push(...['mid-run', 'mid-run-2', 'mid-run-3'].map((p) => `${p}:${entry.stepId}`));
    if (entry.type === 'undo-started') points.push(...['mid-undo', 'mid-undo-2'].map((p) => `${p}:${entry.stepId}`));
  }
  return points;
}

const scenarios: { name: string; expect: string }[] = [
  { name: 'success', expect: 'succeeded' },
  { name: 'rollback', expect: 'rolled-back' },
  { name: 'rollback-throw', expect: 'rolled-back' },
  { name: 'halt', expect: 'halted' },
];

for (const scenario of scenarios) {
  test(`crash safety (${scenario.name}): SIGKILL anywhere, then resume, ends as the uninterrupted run`, { timeout: 120_000 }, async () => {
    // The uninterrupted reference run.
    const ref = await prepare();
    let reference: EndState;
    let referenceEntries: JournalEntry[];
    try {
      const result = await runChild({ dir: ref.dir, stateFile: ref.stateFile, scenario: scenario.name, runId: 'run' });
      assert.equal(result.code, 0, result.stderr);
      const outcome = JSON.parse(result.stdout) as RunOutcome;
      assert.equal(outcome.status, scenario.expect);
      reference = await endState(ref.dir, ref.stateFile, outcome);
      referenceEntries = await new FileJournal({ dir: ref.dir }).read('run');
    } finally {
      await rm(ref.dir, { recursive: true, force: true });
    }

    // Points inside a step come once per step; the failing step stops before "mid-run-3".
    const points = killPoints(referenceEntries).filter((p) => !(p.startsWith('mid-run-3:') && failsIn(scenario.name, p)));
    for (const crashAt of points) {
      const { dir, stateFile } = await prepare();
      try {
        const result = await runChild({ dir, stateFile, scenario: scenario.name, runId: 'run', crashAt });
        assert.equal(result.signal, 'SIGKILL', `${crashAt} was never reached: ${result.stderr}`);
        const journal = new FileJournal({ dir });
        const outcome = await resumeRun({
          journal,
          lock: new FileLock({ dir }),
          registry: { 'file-step': createFileStepKind() },
          runId: 'run',
        });
        await journal.close();
        assert.deepEqual(await endState(dir, stateFile, outcome), reference, `killed at ${crashAt}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });
}

function failsIn(scenario: string, point: string): boolean {
  const stepId = point.slice(point.indexOf(':') + 1);
  return crashScenario(scenario, '').some((step) => step.id === stepId && step.params.fail !== undefined);
}

test('crash safety: a second SIGKILL during the recovery itself, then resume, still ends the same', { timeout: 120_000 }, async () => {
  const reference = { status: 'rolled-back', reason: 'step s3 failed: s3 failed on purpose', file: initialState };
  for (const first of ['mid-run-2:s3', 'entry:10', 'mid-undo:s2']) {
    for (const second of ['entry:1', 'entry:2', 'mid-undo-2:s1']) {
      const { dir, stateFile } = await prepare();
      try {
        const config = { dir, stateFile, scenario: 'rollback', runId: 'run' };
        assert.equal((await runChild({ ...config, crashAt: first })).signal, 'SIGKILL', first);
        const again = await runChild({ ...config, mode: 'resume', crashAt: second });
        assert.ok(again.signal === 'SIGKILL' || again.code === 0, `${first} then ${second}: ${again.stderr}`);
        const journal = new FileJournal({ dir });
        const outcome = await resumeRun({
          journal,
          lock: new FileLock({ dir }),
          registry: { 'file-step': createFileStepKind() },
          runId: 'run',
        });
        await journal.close();
        assert.deepEqual(await endState(dir, stateFile, outcome), reference, `killed at ${first}, then at ${second}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
});

test('resume is refused while the run is live in another process, and succeeds once it is killed', { timeout: 30_000 }, async () => {
  const { dir, stateFile } = await prepare();
  const config = { dir, stateFile, scenario: 'success', runId: 'run', crashAt: 'hang:mid-run:s2' };
  const proc = spawn(process.execPath, [child, JSON.stringify(config)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.on('close', resolve));
  try {
    const journal = new FileJournal({ dir });
    for (let i = 0; i < 500; i += 1) {
      const entries = await journal.read('run');
      if (entries.some((e) => e.type === 'step-checkpoint' && e.stepId === 's2')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const options = { journal, lock: new FileLock({ dir }), registry: { 'file-step': createFileStepKind() }, runId: 'run' };
    await assert.rejects(resumeRun(options), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'LOCKED');
      assert.match(e.message, new RegExp(`pid ${proc.pid} on `));
      return true;
    });
    proc.kill('SIGKILL');
    await exited;
    const outcome = await resumeRun(options);
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(readState(stateFile), { s1: 'done', s2: 'done', s3: 'done', s4: 'done' });
    await journal.close();
  } finally {
    proc.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
});

test('an abort requested through a second FileJournal on the same directory reaches the live run', { timeout: 10_000 }, async () => {
  const { dir, stateFile } = await prepare();
  try {
    let release: (() => void) | undefined;
    const entered = new Promise<void>((resolve) => (release = resolve));
    const gatePoint = (name: string) => {
      if (name === 'mid-run:s2') release?.();
    };
    const kind = createFileStepKind({ point: gatePoint });
    // s2 waits for its signal after its partial work, like a long rollout being watched.
    const waiting = {
      ...kind,
      async run(ctx: import('./step.js').RunContext, step: import('./step.js').PlannedStep) {
        const result = await kind.run(ctx, step);
        if (step.id === 's2') {
          await new Promise((_r, reject) => {
            if (ctx.signal.aborted) reject(new Error('cancelled'));
            ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
          });
        }
        return result;
      },
    };
    const journal = new FileJournal({ dir });
    const running = startRun({
      journal,
      lock: new FileLock({ dir }),
      registry: { 'file-step': waiting },
      runId: 'run',
      app: 'crash',
      namespace: 'test',
      steps: crashScenario('success', stateFile),
      abortPollMs: 20,
    });
    await entered;
    const other = new FileJournal({ dir });
    await requestAbort({ journal: other, runId: 'run', reason: 'from another terminal' });
    const outcome = await running;
    assert.equal(outcome.status, 'rolled-back');
    assert.equal(outcome.reason, 'aborted: from another terminal');
    assert.deepEqual(readState(stateFile), initialState);
    assert.equal(deriveRunState(await other.read('run')).status, 'rolled-back');
    await Promise.all([journal.close(), other.close()]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

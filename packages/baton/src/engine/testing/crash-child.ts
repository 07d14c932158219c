/**
 * A child process for crash tests: runs a crash scenario with the file journal and lock, and
 * SIGKILLs itself at `crashAt` ("entry:N" after the N-th durable journal entry it wrote, or a step point
 * such as "mid-run:s2"), or blocks there for 30 s with `hang:<point>`. Prints the outcome as JSON when it survives. Argv: one JSON object
 * {dir, stateFile, scenario, runId, crashAt?}. Run only by engine/crash.test.ts.
 */
import { resumeRun, startRun } from '../engine.js';
import type { EngineEvent } from '../engine-event.js';
import { FileJournal } from '../file-journal.js';
import { FileLock } from '../file-lock.js';
import { createFileStepKind, crashScenario } from './file-step-kind.js';

interface ChildConfig {
  /** `start` (default) starts the run; `resume` resumes it (a second crash, during recovery). */
  mode?: 'start' | 'resume';
  dir: string;
  stateFile: string;
  scenario: string;
  runId: string;
  crashAt?: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const die = (at: string) => {
    if (at === config.crashAt) process.kill(process.pid, 'SIGKILL');
    // Alive but stuck (the lock stays held): the test checks that a resume is refused, then kills us.
    if (`hang:${at}` === config.crashAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
  };
  let entries = 0;
  const options = {
    journal: new FileJournal({ dir: config.dir }),
    lock: new FileLock({ dir: config.dir }),
    registry: { 'file-step': createFileStepKind({ point: die }) },
    runId: config.runId,
    onEvent: (event: EngineEvent) => {
      if (event.type === 'step-progress') return;
      entries += 1;
      die(`entry:${entries}`);
    },
  };
  const outcome =
    config.mode === 'resume'
      ? await resumeRun(options)
      : await startRun({ ...options, app: 'crash', namespace: 'test', steps: crashScenario(config.scenario, config.stateFile) });
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

await main();

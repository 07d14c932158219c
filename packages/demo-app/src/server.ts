#!/usr/bin/env node
// Entry point (`node dist/server.js`, `bin/demo-app`): the only file with process side effects.
import { createDemoApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`demo-app: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = createDemoApp(config);
  const address = await app.listen();
  process.stdout.write(`demo-app ${config.version} listening on ${address.address}:${address.port}\n`);
  if (config.crashAfterMs !== undefined) {
    setTimeout(() => {
      process.stderr.write(`demo-app: crashing as told (DEMO_CRASH_AFTER_MS=${config.crashAfterMs})\n`);
      process.exit(1);
    }, config.crashAfterMs).unref();
  }
  const onTerm = (signal: string): void => {
    process.stdout.write(`demo-app: ${signal}, draining\n`);
    app.shutdown().then(
      () => {
        process.stdout.write('demo-app: drained, exiting\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`demo-app: drain failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onTerm);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-app: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

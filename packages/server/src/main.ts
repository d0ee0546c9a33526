#!/usr/bin/env node
import { startBotwire } from './app.js';
import { SERVER_USAGE, loadConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';

/** Runs the server as a process: config from file, environment and flags; stops on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const loaded = loadConfig();
  if (!loaded.ok) {
    process.stderr.write(
      `botwire: invalid configuration:\n${loaded.error.map((line) => `  - ${line}`).join('\n')}\n\n${SERVER_USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (loaded.value.showHelp) {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return;
  }
  const { config } = loaded.value;
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled promise rejection'),
  );

  let server;
  try {
    server = await startBotwire({ config, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'Botwire could not start');
    process.exitCode = 1;
    return;
  }
  // Before the URL is printed: whoever waits for it may signal at once, and a signal that
  // arrives before its handler kills the process without the graceful stop.
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received');
    server.stop().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  if (server.admin.generatedPassword !== undefined) {
    // Printed once, on the terminal only: never logged, never stored in clear.
    process.stderr.write(
      [
        '',
        '  First start: created the admin account.',
        `    username: ${server.admin.username}`,
        `    password: ${server.admin.generatedPassword}`,
        '  It is shown only this once. Set BOTWIRE_ADMIN_PASSWORD before the first start to choose it.',
        '',
        '',
      ].join('\n'),
    );
  }
  process.stdout.write(
    `Botwire is running at ${server.url}\n  WebSocket: ${server.url.replace(/^http/, 'ws')}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect\n`,
  );
}

await main();

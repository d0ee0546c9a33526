#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './program.js';

// `botwire pipelines list | head -1`: the reader went away, which is no error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
// Everything is closed by now; if a stray handle (a socket in its close handshake) still holds
// the event loop, do not wait for it.
setTimeout(() => process.exit(code), 1_000).unref();

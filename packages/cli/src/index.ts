/**
 * @botwire/cli: the `botwire` command. Its commands are in `src/commands`; the pieces below are
 * exported for tests and for tools that embed the CLI.
 */
export { runCli, createProgram } from './program.js';
export { processIo, type CliIo, type InputStream, type OutputStream } from './io.js';
export { EXIT_CODES } from './exit-codes.js';
export { describeError, type ErrorContext } from './error-messages.js';
export { runChatLoop, type ChatLoopOptions, type ChatConnection } from './chat/chat-loop.js';
export {
  runMulti,
  type MultiRunOptions,
  type MultiRunResult,
  type MessageOutcome,
  type ConnectionOutcome,
} from './chat/multi-run.js';
export {
  buildMultiReport,
  percentile,
  renderMultiReport,
  summarizeLatencies,
  type LatencySummary,
  type MultiReport,
} from './chat/multi-report.js';

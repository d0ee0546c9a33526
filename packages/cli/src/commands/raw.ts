import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import WebSocket from 'ws';
import { systemErrorCode } from '../error-messages.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { printNotice, runLocal, type CommandContext } from '../run-action.js';
import { integerInRange, parseNonBlank } from '../validation.js';

interface RawFlags {
  apiKey?: string;
  wait: number;
}

/** Close codes after which `raw` exits 0: a goodbye, or the server going away. */
const CLEAN_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001]);

/**
 * `botwire raw <url>`: a WebSocket as JSON lines, like wscat or websocat. Each line read is sent
 * as one frame (lines that are not JSON are refused on stderr, not sent); each frame received is
 * written as one line. Once the input ends it waits `--wait` ms of quiet for the answers, then
 * closes with 1000.
 */
export function registerRawCommand(program: Command, context: CommandContext): void {
  program
    .command('raw')
    .description(
      'a WebSocket as JSON lines: stdin lines are sent as frames, frames received are printed',
    )
    .argument(
      '<url>',
      'the ws(s):// URL, e.g. ws://localhost:8000/api/v1/pipelines/<uuid>/ws/connect',
      parseNonBlank,
    )
    .addOption(
      new Option(
        '--api-key <key>',
        'sent as an Authorization: Bearer header on the upgrade (default: $BOTWIRE_API_KEY)',
      ),
    )
    .addOption(
      new Option('--wait <ms>', 'after the input ends, close once nothing arrived for this long')
        .argParser(integerInRange(0, 3_600_000))
        .default(1_000),
    )
    .addHelpText(
      'after',
      `
Examples:
  echo '{"type":"ping"}' | botwire raw ws://localhost:8000/api/v1/pipelines/<uuid>/ws/connect
  botwire raw "ws://localhost:8000/api/v1/pipelines/<uuid>/ws/connect?session=lobby" | jq .type`,
    )
    .action(async (url: string, flags: RawFlags) => {
      await runLocal(context, () => runRaw(url, flags, context));
    });
}

/** `ws:` or `wss:` URL for `text`; http(s) URLs are turned into their WebSocket form. */
export function parseWebSocketUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`<url> must be a ws:// or wss:// URL, got "${text}"`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(`<url> must be a ws:// or wss:// URL, got "${text}"`);
  }
  return url;
}

async function runRaw(text: string, flags: RawFlags, context: CommandContext): Promise<number> {
  const url = parseWebSocketUrl(text);
  const apiKey = flags.apiKey ?? context.io.env.BOTWIRE_API_KEY;
  const headers: Record<string, string> =
    apiKey === undefined || apiKey === '' ? {} : { Authorization: `Bearer ${apiKey}` };
  const socket = new WebSocket(url, { headers });
  const { io } = context;

  return new Promise<number>((resolve) => {
    let inputEnded = false;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    let failure: string | undefined;
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    const stopInterrupt = io.onInterrupt(() => socket.close(1000, 'interrupted'));

    // The input ended: give the answers `--wait` ms of quiet, counted again after each frame.
    const armQuietTimer = (): void => {
      if (!inputEnded) return;
      if (quietTimer !== undefined) clearTimeout(quietTimer);
      quietTimer = setTimeout(() => socket.close(1000, 'input ended'), flags.wait);
    };
    const pending: string[] = [];
    const send = (line: string): void => {
      const trimmed = line.trim();
      if (trimmed === '') return;
      try {
        JSON.parse(trimmed);
      } catch {
        printNotice(context, context.errorColors.red(`Not JSON, not sent: ${trimmed}`));
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(trimmed);
      else pending.push(trimmed);
    };

    lines.on('line', send);
    lines.on('close', () => {
      inputEnded = true;
      if (socket.readyState === WebSocket.OPEN) armQuietTimer();
    });
    socket.on('open', () => {
      for (const line of pending.splice(0)) socket.send(line);
      armQuietTimer();
    });
    socket.on('message', (data, isBinary) => {
      // `ws` hands over a Buffer, or Buffer[] / ArrayBuffer for fragmented and binary frames.
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(new Uint8Array(data));
      io.stdout.write(
        isBinary
          ? `${JSON.stringify({ binary: bytes.toString('base64') })}\n`
          : `${bytes.toString('utf8')}\n`,
      );
      armQuietTimer();
    });
    socket.on('unexpected-response', (_request, response) => {
      failure =
        `The server refused the WebSocket upgrade: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim();
      socket.terminate();
    });
    socket.on('error', (error) => {
      const code = systemErrorCode(error);
      failure ??=
        code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `Cannot resolve the host of ${url.origin} (DNS lookup failed: ${code}); check the URL`
          : code === 'ECONNREFUSED'
            ? `Cannot reach ${url.origin}: connection refused; is the server running?`
            : `WebSocket error: ${error.message}`;
    });
    socket.on('close', (code, reason) => {
      if (quietTimer !== undefined) clearTimeout(quietTimer);
      stopInterrupt();
      lines.close();
      if (failure !== undefined) {
        printNotice(context, context.errorColors.red(failure));
        resolve(EXIT_CODES.FAILURE);
        return;
      }
      const why = reason.toString();
      printNotice(
        context,
        context.errorColors.dim(`closed: ${code}${why === '' ? '' : ` ${why}`}`),
      );
      resolve(CLEAN_CLOSE_CODES.has(code) ? EXIT_CODES.OK : EXIT_CODES.FAILURE);
    });
  });
}

import { Option, type Command } from 'commander';
import { UsageError } from './exit-codes.js';

/** Where the server is when neither `--url` nor `BOTWIRE_URL` says. */
export const DEFAULT_URL = 'http://localhost:8000';

/** What `--url` and `--api-key` parse into. */
export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
}

/** The server to talk to and the key to talk with. */
export interface Credentials {
  /** The server's http(s) base URL, without a trailing slash. */
  url: string;
  /** An API key (`bw_key_...`), a static key or a session token; undefined: none. */
  apiKey: string | undefined;
}

/** Adds `--url` and `--api-key` to a command that talks to the server. */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--url <url>',
        `the Botwire server's http(s) URL (default: $BOTWIRE_URL or ${DEFAULT_URL})`,
      ),
    )
    .addOption(
      new Option(
        '--api-key <key>',
        'API key (bw_key_...) or static key to authenticate with (default: $BOTWIRE_API_KEY)',
      ),
    );
}

/**
 * The flags, else the environment (`BOTWIRE_URL`, `BOTWIRE_API_KEY`), else the defaults. Throws
 * a {@link UsageError} for a URL that is not http(s).
 */
export function resolveCredentials(
  flags: ConnectionFlags,
  env: Readonly<Record<string, string | undefined>>,
): Credentials {
  const rawUrl = nonEmpty(flags.url) ?? nonEmpty(env.BOTWIRE_URL) ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got "${rawUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(
      `--url must be an http(s) URL such as ${DEFAULT_URL} (the WebSocket URL is derived from it), got "${rawUrl}"`,
    );
  }
  return {
    url: parsed.toString().replace(/\/+$/, ''),
    apiKey: nonEmpty(flags.apiKey) ?? nonEmpty(env.BOTWIRE_API_KEY),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

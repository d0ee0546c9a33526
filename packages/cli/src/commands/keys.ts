import { Option, type Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { addListCommand } from '../list-command.js';
import type { Colors } from '../output/colors.js';
import { formatRelativeTime } from '../output/relative-time.js';
import { renderTable } from '../output/table.js';
import {
  printJson,
  printLine,
  printNotice,
  runWithServer,
  type CommandContext,
} from '../run-action.js';
import { ROLES, type ApiKey, type Role } from '../sdk.js';
import {
  parseExpiryTime,
  parseId,
  parseKeyLifetime,
  parseNonBlank,
  parseUuidList,
} from '../validation.js';

interface CreateKeyFlags extends ConnectionFlags {
  role: Role;
  pipelines?: string[];
  /** Milliseconds from now. */
  expiresIn?: number;
  /** ISO-8601 UTC. */
  expiresAt?: string;
  json?: boolean;
}

const LIST_HINT = 'list keys with: botwire keys list';

/** `botwire keys create|list|revoke`. */
export function registerKeysCommand(program: Command, context: CommandContext): void {
  const keys = program.command('keys').description('create, list and revoke API keys (admin)');

  addConnectionOptions(
    keys
      .command('create')
      .description('create an API key; its secret is printed once, store it then')
      .argument('<name>', 'what the key is for, 1-100 characters', parseNonBlank)
      .addOption(
        new Option('--role <role>', 'member: chat and read; admin: everything')
          .choices(ROLES)
          .default('member'),
      )
      .option(
        '--pipelines <uuids>',
        'limit the key to these pipelines, comma-separated (default: all)',
        parseUuidList,
      )
      .addOption(
        new Option(
          '--expires-in <duration>',
          'the key stops working after this long: m, h, d or w, e.g. 30d (at most 366d; default: never)',
        )
          .argParser(parseKeyLifetime)
          .conflicts('expiresAt'),
      )
      .option(
        '--expires-at <time>',
        'the key stops working at this ISO-8601 time with a time zone, e.g. 2027-01-31T00:00:00Z',
        parseExpiryTime,
      )
      .option('--json', 'print the key record and its secret as JSON'),
  ).action(async (name: string, flags: CreateKeyFlags) => {
    await runWithServer(context, { flags }, async ({ backend }) => {
      const created = await backend.createApiKey({
        name,
        role: flags.role,
        pipelines: flags.pipelines ?? null,
        expires_at:
          flags.expiresIn === undefined
            ? (flags.expiresAt ?? null)
            : new Date(Date.now() + flags.expiresIn).toISOString(),
      });
      if (flags.json === true) {
        printJson(context, created);
      } else {
        const { api_key: key } = created;
        printNotice(
          context,
          `Created API key #${key.id} "${key.name}" (${key.role}, ${describePipelines(key.pipelines)}, ${key.expires_at === null ? 'never expires' : `expires ${key.expires_at}`}):`,
        );
        // The secret alone on stdout, so `KEY=$(botwire keys create ...)` captures just it.
        printLine(context, created.key);
      }
      printNotice(
        context,
        context.errorColors.yellow(
          'Store this key now: it is shown only this once. Use it with --api-key or BOTWIRE_API_KEY.',
        ),
      );
    });
  });

  addListCommand(keys, context, {
    description: 'list every API key, revoked and expired ones included (never their secrets)',
    jsonHelp: 'print the keys as JSON',
    fetch: (backend) => backend.listApiKeys(),
    emptyNotice: 'No API keys. Create one with: botwire keys create <name>',
    render: renderKeyTable,
  });

  addConnectionOptions(
    keys
      .command('revoke')
      .description(
        'revoke an API key: it can no longer connect, and its open connections are closed (4001)',
      )
      .argument('<id>', "the key's id, as keys list shows it", parseId),
  ).action(async (id: number, flags: ConnectionFlags) => {
    await runWithServer(context, { flags, notFoundHint: LIST_HINT }, async ({ backend }) => {
      await backend.revokeApiKey(id);
      printLine(context, `Revoked API key #${id}.`);
    });
  });
}

function describePipelines(pipelines: readonly string[] | null): string {
  if (pipelines === null) return 'all pipelines';
  return pipelines.length === 1 ? `pipeline ${pipelines[0]}` : `${pipelines.length} pipelines`;
}

function describeStatus(key: ApiKey, colors: Colors, now: number): string {
  if (key.revoked_at !== null) {
    return colors.red(`revoked ${formatRelativeTime(key.revoked_at, now)}`);
  }
  return key.expired ? colors.yellow('expired') : colors.green('active');
}

/** The table of `keys list`. */
export function renderKeyTable(
  keys: readonly ApiKey[],
  colors: Colors,
  now: number = Date.now(),
): string {
  return renderTable(
    [
      { header: 'ID', align: 'right' },
      { header: 'NAME', maxWidth: 32 },
      'PREFIX',
      'ROLE',
      { header: 'PIPELINES', maxWidth: 40 },
      'CREATED',
      'LAST USED',
      'EXPIRES',
      'STATUS',
    ],
    keys.map((key) => [
      String(key.id),
      key.name,
      key.prefix,
      key.role,
      key.pipelines === null ? 'all' : key.pipelines.join(','),
      formatRelativeTime(key.created_at, now),
      key.last_used_at === null ? '-' : formatRelativeTime(key.last_used_at, now),
      key.expires_at === null ? 'never' : formatRelativeTime(key.expires_at, now),
      describeStatus(key, colors, now),
    ]),
  );
}

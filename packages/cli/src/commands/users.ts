import type { BackendClient } from '@botwire/client';
import { Option, type Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { UsageError } from '../exit-codes.js';
import { addListCommand } from '../list-command.js';
import type { Colors } from '../output/colors.js';
import { formatRelativeTime } from '../output/relative-time.js';
import { renderTable } from '../output/table.js';
import { printJson, printNotice, runWithServer, type CommandContext } from '../run-action.js';
import { ROLES, type Role } from '../sdk.js';
import { integerInRange, parseNonBlank } from '../validation.js';

type User = Awaited<ReturnType<BackendClient['listUsers']>>[number];

const LIST_HINT = 'list users with: botwire users list';

/** `botwire users list|create|delete` (admin): the console's sign-in accounts. */
export function registerUsersCommand(program: Command, context: CommandContext): void {
  const users = program
    .command('users')
    .description('list, create and delete the accounts that sign in to the console (admin)');

  addListCommand(users, context, {
    description: 'list the console accounts',
    jsonHelp: 'print the users as JSON',
    fetch: (backend) => backend.listUsers(),
    emptyNotice: 'No users. Create one with: botwire users create <username> --password-env VAR',
    render: (list, colors) => renderUserTable(list, colors),
  });

  addConnectionOptions(
    users
      .command('create')
      .description('create a console account')
      .argument('<username>', '1-64 characters of A-Z a-z 0-9 . _ -', parseNonBlank)
      .requiredOption(
        '--password-env <variable>',
        'the environment variable holding the password (at least 8 characters; never on the command line)',
      )
      .addOption(
        new Option('--role <role>', 'member: chat and read; admin: everything')
          .choices(ROLES)
          .default('member'),
      )
      .option('--json', 'print the created user as JSON'),
  ).action(
    async (
      username: string,
      flags: ConnectionFlags & { passwordEnv: string; role: Role; json?: boolean },
    ) => {
      await runWithServer(context, { flags }, async ({ backend }) => {
        const password = context.io.env[flags.passwordEnv];
        if (password === undefined || password === '') {
          throw new UsageError(`--password-env: the variable ${flags.passwordEnv} is not set.`);
        }
        const user = await backend.createUser({ username, password, role: flags.role });
        if (flags.json === true) return printJson(context, user);
        printNotice(context, `Created user #${user.id} "${user.username}" (${user.role}).`);
      });
    },
  );

  addConnectionOptions(
    users
      .command('delete')
      .description('delete a console account; its sessions end')
      .argument(
        '<id>',
        "the user's id (see botwire users list)",
        integerInRange(1, Number.MAX_SAFE_INTEGER),
      )
      .option('--yes', 'really delete (required: nothing asks again)'),
  ).action(async (id: number, flags: ConnectionFlags & { yes?: boolean }) => {
    await runWithServer(context, { flags, notFoundHint: LIST_HINT }, async ({ backend }) => {
      if (flags.yes !== true)
        throw new UsageError(`Deleting user #${id} is final; add --yes to do it.`);
      await backend.deleteUser(id);
      printNotice(context, `Deleted user #${id}.`);
    });
  });
}

/** The table of `users list`. */
export function renderUserTable(
  users: readonly User[],
  colors: Colors,
  now: number = Date.now(),
): string {
  return renderTable(
    [{ header: 'ID', align: 'right' }, { header: 'USERNAME', maxWidth: 32 }, 'ROLE', 'CREATED'],
    users.map((user) => [
      String(user.id),
      user.username,
      user.role === 'admin' ? colors.bold(user.role) : user.role,
      formatRelativeTime(user.created_at, now),
    ]),
  );
}

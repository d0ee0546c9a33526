import type { Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { formatRelativeTime } from '../output/relative-time.js';
import { renderPairs, renderTable } from '../output/table.js';
import { printJson, runWithServer, type CommandContext } from '../run-action.js';
import type { ConnectionsData } from '../sdk.js';
import { parseNonBlank } from '../validation.js';

/** `botwire connections <pipeline>`. */
export function registerConnectionsCommand(program: Command, context: CommandContext): void {
  addConnectionOptions(
    program
      .command('connections')
      .description("show a pipeline's live WebSocket connections, with totals")
      .argument('<pipeline>', "the pipeline's uuid", parseNonBlank)
      .option('--json', 'print the statistics and connections as JSON'),
  ).action(async (pipeline: string, flags: ConnectionFlags & { json?: boolean }) => {
    await runWithServer(context, { flags, pipeline }, async ({ backend }) => {
      const data = await backend.getConnections(pipeline);
      if (flags.json === true) return printJson(context, data);
      context.io.stdout.write(renderConnections(data));
    });
  });
}

/** The statistics, then a table of connections. */
export function renderConnections(data: ConnectionsData, now: number = Date.now()): string {
  const { stats, connections } = data;
  const summary = renderPairs([
    ['Connections', String(stats.total_connections)],
    [
      'By session type',
      `person ${stats.connections_by_session_type.person}, group ${stats.connections_by_session_type.group}`,
    ],
    ['Active conversations', String(stats.active_conversations)],
  ]);
  if (connections.length === 0) return `${summary}\nNo live connections.\n`;
  const table = renderTable(
    [
      'CONNECTION',
      'TYPE',
      { header: 'SESSION', maxWidth: 24 },
      { header: 'PRINCIPAL', maxWidth: 24 },
      'REMOTE',
      'CONNECTED',
      'LAST ACTIVE',
    ],
    connections.map((connection) => [
      connection.connection_id,
      connection.session_type,
      connection.session,
      connection.principal.name,
      connection.remote_address,
      formatRelativeTime(connection.created_at, now),
      formatRelativeTime(connection.last_active, now),
    ]),
  );
  return `${summary}\n${table}`;
}

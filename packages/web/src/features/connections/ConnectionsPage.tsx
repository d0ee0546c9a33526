import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { TableHead } from '../../components/TableHead.js';

type ConnectionsData = Awaited<ReturnType<typeof backend.listAllConnections>>;

const REFRESH_MS = 5_000;

/** Live connections of all pipelines (admin): totals, a table refreshed every 5 s, broadcast. */
export function ConnectionsPage() {
  const { handleUnauthorized } = useAuth();
  const [data, setData] = useState<ConnectionsData | undefined>();
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setData(await backend.listAllConnections());
    } catch (error) {
      if (!handleUnauthorized(error)) {
        toast.error(`Could not load connections: ${describeError(error)}`, { id: 'connections' });
      }
    }
  }, [handleUnauthorized]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    backend.listPipelines().then(setPipelines, (error: unknown) => {
      if (!handleUnauthorized(error)) toast.error(describeError(error));
    });
    return () => clearInterval(timer);
  }, [refresh, handleUnauthorized]);

  const names = new Map(pipelines.map((pipeline) => [pipeline.uuid, pipeline.name]));

  return (
    <section aria-labelledby="connections-title" className="space-y-6">
      <h2 id="connections-title" className="text-lg font-semibold">
        Connections
      </h2>
      {data === undefined ? (
        <p role="status" className="text-slate-500">
          Loading…
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Stat label="Connections" value={data.stats.total_connections} />
            <Stat label="Person" value={data.stats.connections_by_session_type.person} />
            <Stat label="Group" value={data.stats.connections_by_session_type.group} />
            <Stat label="Active conversations" value={data.stats.active_conversations} />
          </dl>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Live connections, refreshed every 5 seconds</caption>
              <TableHead
                columns={[
                  'Pipeline',
                  'Type',
                  'Session',
                  'Principal',
                  'Address',
                  'Connected',
                  'Last active',
                ]}
              />
              <tbody>
                {data.connections.length === 0 && (
                  <tr>
                    <td colSpan={7} className="p-2 text-slate-500">
                      No live connections.
                    </td>
                  </tr>
                )}
                {data.connections.map((connection) => (
                  <tr
                    key={connection.connection_id}
                    className="border-b border-slate-100 dark:border-slate-900"
                  >
                    <td className="p-2">
                      {names.get(connection.pipeline_uuid) ?? connection.pipeline_uuid}
                    </td>
                    <td className="p-2">{connection.session_type}</td>
                    <td className="p-2 font-mono">{connection.session}</td>
                    <td className="p-2">{connection.principal.name}</td>
                    <td className="p-2 font-mono">{connection.remote_address}</td>
                    <td className="p-2">{formatTime(connection.created_at)}</td>
                    <td className="p-2">{formatTime(connection.last_active)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <BroadcastForm pipelines={pipelines} />
    </section>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-2xl font-semibold">{value}</dd>
    </div>
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

/** Pushes a notice to every connection of one pipeline. */
function BroadcastForm({ pipelines }: { pipelines: Pipeline[] }) {
  const { handleUnauthorized } = useAuth();
  const [pipelineUuid, setPipelineUuid] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const target = pipelineUuid === '' ? pipelines[0]?.uuid : pipelineUuid;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (target === undefined || message.trim() === '') return;
    setBusy(true);
    try {
      const result = await backend.broadcast(target, message.trim());
      toast.success(`Broadcast sent to ${result.sent} connection(s)`);
      setMessage('');
    } catch (error) {
      if (!handleUnauthorized(error)) toast.error(`Broadcast failed: ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      aria-labelledby="broadcast-title"
      className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
    >
      <h3 id="broadcast-title" className="font-semibold">
        Broadcast
      </h3>
      <div className="flex flex-wrap gap-2">
        <label htmlFor="broadcast-pipeline" className="sr-only">
          Pipeline
        </label>
        <select
          id="broadcast-pipeline"
          value={target ?? ''}
          onChange={(event) => setPipelineUuid(event.target.value)}
          className="rounded border border-slate-300 bg-transparent px-2 py-1.5 dark:border-slate-700"
        >
          {pipelines.map((pipeline) => (
            <option key={pipeline.uuid} value={pipeline.uuid}>
              {pipeline.name}
            </option>
          ))}
        </select>
        <label htmlFor="broadcast-message" className="sr-only">
          Notice
        </label>
        <input
          id="broadcast-message"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          placeholder="Notice to every connection of the pipeline"
          className="min-w-48 flex-1 rounded border border-slate-300 bg-transparent px-3 py-1.5 dark:border-slate-700"
        />
        <button
          type="submit"
          disabled={busy || target === undefined || message.trim() === ''}
          className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Send broadcast
        </button>
      </div>
    </form>
  );
}

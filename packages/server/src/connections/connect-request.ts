import { sessionKeySchema, sessionTypeSchema, type SessionType } from '@botwire/protocol';
import { err, ok, type Result } from '@botwire/protocol';
import type { StreamMode } from '../conversations/conversation-event.js';

/** The WebSocket endpoint, `/api/v1/pipelines/<uuid>/ws/connect`. */
const CONNECT_PATH = /^\/api\/v1\/pipelines\/([^/]+)\/ws\/connect\/?$/;

/** What a client asked for in the connect URL. */
export interface ConnectRequest {
  pipelineUuid: string;
  sessionType: SessionType;
  session: string | undefined;
  lastSeq: number | undefined;
  streamMode: StreamMode;
}

/** The pipeline uuid when `pathname` is the WebSocket endpoint. */
export function matchConnectPath(pathname: string): string | undefined {
  const match = CONNECT_PATH.exec(pathname);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Reads the connect URL's query; every problem is described so the client can fix it. */
export function parseConnectQuery(
  pipelineUuid: string,
  query: URLSearchParams,
): Result<ConnectRequest, string> {
  const sessionType = sessionTypeSchema.safeParse(query.get('session_type') ?? 'person');
  if (!sessionType.success) return err('session_type must be person or group');
  const sessionValue = query.get('session');
  const session = sessionValue === null ? undefined : sessionKeySchema.safeParse(sessionValue);
  if (session !== undefined && !session.success) {
    return err('session must be 1-64 characters of A-Z a-z 0-9 . _ : -');
  }
  const lastSeqValue = query.get('last_seq');
  let lastSeq: number | undefined;
  if (lastSeqValue !== null) {
    if (!/^\d{1,15}$/.test(lastSeqValue))
      return err('last_seq must be a whole number of at most 15 digits');
    lastSeq = Number(lastSeqValue);
  }
  const stream = query.get('stream') ?? 'cumulative';
  if (stream !== 'cumulative' && stream !== 'delta')
    return err('stream must be cumulative or delta');
  return ok({
    pipelineUuid,
    sessionType: sessionType.data,
    session: session?.data,
    lastSeq,
    streamMode: stream,
  });
}

import {
  connectionInfoSchema,
  connectionStatsSchema,
  err,
  ok,
  type Result,
} from '@botwire/protocol';
import { z } from 'zod';

/**
 * Largest message a node accepts from the bus. Listings carry at most
 * {@link MAX_LISTED_CONNECTIONS_PER_NODE} connections, far below it; anything larger is not from
 * a Botwire node and is dropped before it is parsed.
 */
export const MAX_CLUSTER_MESSAGE_CHARACTERS = 8 * 1_048_576;

/** Connections one node puts into a cluster-wide listing; totals still count all of them. */
export const MAX_LISTED_CONNECTIONS_PER_NODE = 5_000;

const nodeIdSchema = z.string().min(1).max(100);
const identifierSchema = z.string().min(1).max(300);

const revocationSchema = z.union([
  z.strictObject({
    principal_id: identifierSchema,
    except_token_hash: identifierSchema.optional(),
  }),
  z.strictObject({ token_hash: identifierSchema }),
]);

/**
 * What nodes tell each other. Every message names the node it comes from (`origin`); replies
 * name the node they are for (`to`), and other nodes ignore them.
 */
export const clusterMessageSchema = z.discriminatedUnion('type', [
  /** Credentials stopped being valid: close the connections made with them. */
  z.strictObject({
    type: z.literal('revoked'),
    origin: nodeIdSchema,
    revocation: revocationSchema,
  }),
  /** A pipeline was created or changed: forget cached pipelines. */
  z.strictObject({
    type: z.literal('pipeline_changed'),
    origin: nodeIdSchema,
    pipeline_uuid: identifierSchema,
  }),
  /** A pipeline was deleted: forget it and close its connections. */
  z.strictObject({
    type: z.literal('pipeline_deleted'),
    origin: nodeIdSchema,
    pipeline_uuid: identifierSchema,
  }),
  /** A pipeline's public widget was turned off: forget its settings and close its visitors. */
  z.strictObject({
    type: z.literal('widget_public_ended'),
    origin: nodeIdSchema,
    pipeline_uuid: identifierSchema,
  }),
  /** A broadcast to every connection of a pipeline; each node encodes it once. */
  z.strictObject({
    type: z.literal('broadcast'),
    origin: nodeIdSchema,
    pipeline_uuid: identifierSchema,
    message: z.string().max(1_048_576),
  }),
  /** Asks every node for its connections (of one pipeline, or all). */
  z.strictObject({
    type: z.literal('connections_request'),
    origin: nodeIdSchema,
    request_id: identifierSchema,
    pipeline_uuid: identifierSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('connections_reply'),
    origin: nodeIdSchema,
    to: nodeIdSchema,
    request_id: identifierSchema,
    stats: connectionStatsSchema,
    connections: z.array(connectionInfoSchema).max(MAX_LISTED_CONNECTIONS_PER_NODE),
  }),
  /** Asks the node holding a connection to close it. */
  z.strictObject({
    type: z.literal('disconnect_request'),
    origin: nodeIdSchema,
    request_id: identifierSchema,
    connection_id: identifierSchema,
  }),
  /**
   * Asks the node generating a conversation's replies (its lease holder) to cancel the running
   * reply (`cancel`, only `reply_id` when given) or to stop it and wait until it settled (`stop`).
   */
  z.strictObject({
    type: z.literal('generation_request'),
    origin: nodeIdSchema,
    to: nodeIdSchema,
    request_id: identifierSchema,
    conversation_id: z.number().int().positive(),
    action: z.enum(['cancel', 'stop']),
    reply_id: z.number().int().positive().optional(),
    reason: z.enum(['cancelled', 'interrupted']).optional(),
  }),
  /** Whether a `generation_request` found a reply to stop. */
  z.strictObject({
    type: z.literal('generation_reply'),
    origin: nodeIdSchema,
    to: nodeIdSchema,
    request_id: identifierSchema,
    stopped: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('disconnect_reply'),
    origin: nodeIdSchema,
    to: nodeIdSchema,
    request_id: identifierSchema,
    connection: connectionInfoSchema.nullable(),
  }),
]);

/** A message on the cluster bus. */
export type ClusterMessage = z.infer<typeof clusterMessageSchema>;

type WithoutOrigin<TMessage> = TMessage extends unknown ? Omit<TMessage, 'origin'> : never;

/** A message as a node publishes it; the bus adds its node id as `origin`. */
export type ClusterMessageBody = WithoutOrigin<ClusterMessage>;

/** The text a message travels as. */
export function encodeClusterMessage(message: ClusterMessage): string {
  return JSON.stringify(message);
}

/** Decodes and validates one message from the bus; never throws. */
export function decodeClusterMessage(text: string): Result<ClusterMessage, string> {
  if (text.length > MAX_CLUSTER_MESSAGE_CHARACTERS) {
    return err(`message of ${text.length} characters is larger than a node sends`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err('message is not JSON');
  }
  const result = clusterMessageSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return err(
      `message does not match the cluster protocol${issue === undefined ? '' : ` (${issue.path.join('.') || 'message'}: ${issue.message})`}`,
    );
  }
  return ok(result.data);
}

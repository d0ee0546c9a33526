import type { SessionType } from '@botwire/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { ConversationsTable, DatabaseSchema } from './database-schema.js';
import { findConversationById, listConversationSummaries } from './conversation-summaries.js';
import type { GroupCommitter } from './group-committer.js';
import type {
  ConversationIdentity,
  ConversationRepository,
  ConversationSummaryRecord,
  StoredConversation,
} from './store.js';

function toSessionType(value: string): SessionType {
  return value === 'group' ? 'group' : 'person';
}

function toConversation(row: Selectable<ConversationsTable>): StoredConversation {
  return {
    id: row.id,
    pipelineUuid: row.pipeline_uuid,
    sessionType: toSessionType(row.session_type),
    key: row.conversation_key,
    seqReserved: row.seq_reserved,
  };
}

/** Conversations in SQL, one row per (pipeline, session type, key). */
export class KyselyConversationRepository implements ConversationRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly writes: GroupCommitter,
  ) {}

  async getOrCreate(identity: ConversationIdentity): Promise<StoredConversation> {
    // Insert-or-ignore then read: two first messages racing for one conversation both get the
    // same row instead of one failing on the unique constraint.
    await this.db
      .insertInto('conversations')
      .values({
        pipeline_uuid: identity.pipelineUuid,
        session_type: identity.sessionType,
        conversation_key: identity.key,
        seq_reserved: 0,
        created_at: new Date().toISOString(),
      })
      .onConflict((conflict) =>
        conflict.columns(['pipeline_uuid', 'session_type', 'conversation_key']).doNothing(),
      )
      .execute();
    const conversation = await this.find(identity);
    if (conversation === undefined) {
      throw new Error(
        `Conversation ${identity.sessionType}/${identity.key} of pipeline ${identity.pipelineUuid} vanished right after it was created.`,
      );
    }
    return conversation;
  }

  async find(identity: ConversationIdentity): Promise<StoredConversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('pipeline_uuid', '=', identity.pipelineUuid)
      .where('session_type', '=', identity.sessionType)
      .where('conversation_key', '=', identity.key)
      .executeTakeFirst();
    return row === undefined ? undefined : toConversation(row);
  }

  async reserveSeq(conversationId: number, seqReserved: number): Promise<void> {
    // Raise-only (the executors guard in WHERE); joins the turn's batch of hot-path writes.
    await this.writes.write({ kind: 'reserve-seq', conversationId, seqReserved });
  }

  listSummaries(
    pipelineUuid: string,
    conversationId?: number,
  ): Promise<ConversationSummaryRecord[]> {
    return listConversationSummaries(this.db, pipelineUuid, conversationId);
  }

  findById(
    id: number,
  ): Promise<{ conversation: StoredConversation; createdAt: string } | undefined> {
    return findConversationById(this.db, id);
  }
}

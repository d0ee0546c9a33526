import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BackendClient, MessageChain, SessionType } from '@botwire/client';

/** The part of `BackendClient` image attachments use. */
export type ImageUploader = Pick<BackendClient, 'uploadImage'>;

/** The conversation uploads are bound to: the chat's own (an image serves only there). */
export interface AttachmentConversation {
  pipeline: string;
  sessionType: SessionType;
  session?: string;
}

/**
 * Image files waiting for the next message (`--image <file>` and `/image <file>`). A file is
 * checked when it is attached, so a typo is reported at once, and read and uploaded only when
 * the message is sent, to the chat's own conversation.
 */
export class ImageAttachments {
  private pending: string[] = [];

  /** The files the next message carries, in the order attached. */
  get files(): readonly string[] {
    return this.pending;
  }

  /**
   * Attaches `path` to the next message. Rejects with a message naming the file when it does
   * not exist or is not a regular file; the server decides on its size and type at upload.
   */
  async attach(path: string): Promise<void> {
    await checkImageFile(path);
    this.pending.push(path);
  }

  /** Drops every pending file. */
  clear(): void {
    this.pending = [];
  }

  /**
   * Uploads the pending files and returns `chain` with an `Image` component for each after its
   * text. The files stay pending when an upload fails, so the message can be sent again.
   */
  async appendTo(
    chain: MessageChain,
    options: { uploader: ImageUploader; conversation: AttachmentConversation },
  ): Promise<MessageChain> {
    if (this.pending.length === 0) return chain;
    const { uploader, conversation } = options;
    const images: MessageChain = [];
    for (const path of this.pending) {
      const bytes = await readImageFile(path);
      const uploaded = await uploader.uploadImage(conversation.pipeline, bytes, {
        sessionType: conversation.sessionType,
        session: conversation.session,
      });
      images.push({ type: 'Image', image_id: uploaded.image_id });
    }
    this.pending = [];
    return [...chain, ...images];
  }
}

/** A file a user named that cannot be attached. */
export class AttachmentError extends Error {
  override readonly name = 'AttachmentError';
}

/** Rejects with an {@link AttachmentError} unless `path` is a regular file. */
export async function checkImageFile(path: string): Promise<void> {
  const stats = await stat(path).catch((error: unknown) => {
    throw new AttachmentError(`${path}: ${fileProblem(error)}`);
  });
  if (!stats.isFile()) throw new AttachmentError(`${path}: not a file.`);
}

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new AttachmentError(`${basename(path)}: ${fileProblem(error)}`);
  }
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file.';
  if (code === 'EACCES') return 'permission denied.';
  return error instanceof Error ? error.message : String(error);
}

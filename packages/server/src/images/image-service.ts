import { randomBytes } from 'node:crypto';
import {
  imageIdPattern,
  imagePathOf,
  isModelRunner,
  type ImageComponent,
  type MessageChain,
  type UploadedImage,
} from '@botwire/protocol';
import { canUsePipeline, type Principal } from '../auth/principal.js';
import { canReadConversation } from '../conversations/conversation-access.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { MessageBudget } from '../quotas/message-budget.js';
import type { PromptImage } from '../runners/runner.js';
import type { ConversationIdentity, ImageRecord, Store, StoredPipeline } from '../storage/store.js';
import { checkImageUpload } from './image-upload-check.js';
import type { ImageStore } from './image-store.js';

/** Options for {@link ImageService}. */
export interface ImageServiceOptions {
  store: Store;
  /** Where the bytes go: files beside SQLite, `bytea` beside PostgreSQL. */
  imageStore: ImageStore;
  /** The storage quotas images count toward; none when absent. */
  budget?: MessageBudget;
  maxImageBytes: number;
  logger: Logger;
  now?: () => number;
}

/** An image to serve. */
export interface ServedImage {
  record: ImageRecord;
  bytes: Uint8Array;
}

const dataUri = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is;

function newImageId(): string {
  return `img_${randomBytes(18).toString('base64url')}`;
}

function hasImage(chain: MessageChain): boolean {
  return chain.some((component) => component.type === 'Image');
}

/**
 * Uploaded images: checking and storing uploads (bound to one conversation), serving them only
 * to those who may read that conversation, checking the `Image` components of messages, and
 * loading images for the model.
 */
export class ImageService {
  private readonly now: () => number;

  constructor(private readonly options: ImageServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Checks and stores an upload for the conversation `identity` names (created when new), counted
   * toward the uploader's and the pipeline's storage quotas.
   */
  async upload(upload: {
    principal: Principal;
    identity: ConversationIdentity;
    declaredType: string | undefined;
    bytes: Uint8Array;
  }): Promise<UploadedImage> {
    const { store, imageStore } = this.options;
    const mediaType = checkImageUpload({
      bytes: upload.bytes,
      declaredType: upload.declaredType,
      maxBytes: this.options.maxImageBytes,
    });
    const size = upload.bytes.byteLength;
    const reservation = await this.options.budget?.reserveImage({
      principal: upload.principal,
      pipelineUuid: upload.identity.pipelineUuid,
      bytes: size,
    });
    const record: ImageRecord = {
      id: newImageId(),
      conversationId: 0,
      pipelineUuid: upload.identity.pipelineUuid,
      uploaderId: upload.principal.id,
      mediaType,
      bytes: size,
      createdAt: new Date(this.now()).toISOString(),
    };
    let inserted = false;
    try {
      record.conversationId = (await store.conversations.getOrCreate(upload.identity)).id;
      // The row first: on PostgreSQL the bytes reference it.
      await store.images.insert(record);
      inserted = true;
      await imageStore.write(record.id, upload.bytes);
    } catch (error) {
      reservation?.cancel();
      if (inserted) {
        await store.images.delete(record.id).catch((cleanup: unknown) => {
          this.options.logger.warn(
            { err: cleanup, image: record.id },
            'could not remove an image row',
          );
        });
      }
      throw error;
    }
    this.options.logger.info(
      { image: record.id, conversation: record.conversationId, bytes: size, mediaType },
      'image uploaded',
    );
    return { image_id: record.id, url: imagePathOf(record.id), media_type: mediaType, bytes: size };
  }

  /**
   * The image `id` with its bytes, when `principal` may read its conversation (the rule of the
   * history); otherwise `NOT_FOUND`, the same answer as for an id that does not exist, so a
   * foreign image's existence is not revealed.
   */
  async read(principal: Principal, id: string): Promise<ServedImage> {
    const notFound = () => new BotwireError('NOT_FOUND', `No image ${id} that you may read.`);
    // Not an id this server makes: not looked up at all.
    if (!imageIdPattern.test(id)) throw notFound();
    const { store, imageStore } = this.options;
    const record = await store.images.find(id);
    if (record === undefined || !canUsePipeline(principal, record.pipelineUuid)) throw notFound();
    const found = await store.conversations.findById(record.conversationId);
    if (found === undefined || !canReadConversation(principal, found.conversation))
      throw notFound();
    const bytes = await imageStore.read(id);
    if (bytes === undefined) throw notFound();
    return { record, bytes };
  }

  /**
   * Checks the `Image` components of a message about to be stored in `conversationId` and
   * returns the chain to store: uploaded images must belong to this conversation and gain their
   * `url`, `media_type` and `bytes`; URLs need the pipeline's `images.allow_urls`; a model
   * runner must be marked `vision`. Throws `IMAGES_NOT_SUPPORTED`, `IMAGE_NOT_FOUND` or
   * `IMAGE_URL_NOT_ALLOWED`. A chain without images is returned as it is.
   */
  async prepareChain(options: {
    pipeline: StoredPipeline;
    conversationId: number;
    chain: MessageChain;
  }): Promise<MessageChain> {
    const { pipeline, conversationId, chain } = options;
    if (!hasImage(chain)) return chain;
    const runner = pipeline.runner;
    if (isModelRunner(runner) && !runner.settings.vision) {
      throw new BotwireError(
        'IMAGES_NOT_SUPPORTED',
        `The model of pipeline ${pipeline.uuid} (${runner.settings.model}) is not marked as accepting images; an admin sets runner.settings.vision to true if it does. The message was not stored.`,
      );
    }
    const prepared: MessageChain = [];
    for (const component of chain) {
      if (component.type !== 'Image') {
        prepared.push(component);
        continue;
      }
      prepared.push(await this.prepareImage(pipeline, conversationId, component));
    }
    return prepared;
  }

  /**
   * The images of `chain` as the model gets them: uploaded ones as bytes (read from the image
   * store, only when they belong to `conversationId`), URLs as they are (the server never
   * fetches them), data URIs decoded. Images that are gone are left out.
   */
  async promptImagesOf(chain: MessageChain, conversationId: number): Promise<PromptImage[]> {
    const images: PromptImage[] = [];
    for (const component of chain) {
      if (component.type !== 'Image') continue;
      if (component.image_id !== undefined) {
        const record = await this.options.store.images.find(component.image_id);
        if (record === undefined || record.conversationId !== conversationId) continue;
        const bytes = await this.options.imageStore.read(record.id);
        if (bytes !== undefined) images.push({ data: bytes, mediaType: record.mediaType });
      } else if (component.url !== undefined) {
        images.push({ url: component.url });
      } else if (component.base64 !== undefined) {
        const match = dataUri.exec(component.base64);
        if (match?.[1] !== undefined && match[2] !== undefined) {
          images.push({
            data: Buffer.from(match[2].replace(/\s/g, ''), 'base64'),
            mediaType: match[1].toLowerCase(),
          });
        }
      }
    }
    return images;
  }

  /** Removes the bytes of a conversation's images (before its rows go, or after a reset). */
  async deleteConversationImages(conversationId: number): Promise<void> {
    const ids = await this.options.store.images.listIdsOfConversation(conversationId);
    for (const id of ids) await this.deleteImage(id);
  }

  /** Deletes an image's bytes, then its row (on PostgreSQL the bytes reference the row). */
  private async deleteImage(id: string): Promise<void> {
    await this.options.imageStore.delete(id);
    await this.options.store.images.delete(id);
  }

  /**
   * Deletes up to `limit` images no message carried that were uploaded more than `ttlMs` ago
   * (bytes first, then the row) and resolves with how many went. Their bytes stop counting
   * toward the quotas.
   */
  async sweepUnattached(options: { ttlMs: number; limit: number }): Promise<number> {
    const before = new Date(this.now() - options.ttlMs).toISOString();
    const stale = await this.options.store.images.listUnattached({ before, limit: options.limit });
    for (const record of stale) await this.deleteImage(record.id);
    if (stale.length > 0) {
      this.options.budget?.forgetUsage();
      this.options.logger.info({ images: stale.length }, 'deleted uploaded images never sent');
    }
    return stale.length;
  }

  private async prepareImage(
    pipeline: StoredPipeline,
    conversationId: number,
    component: ImageComponent,
  ): Promise<ImageComponent> {
    if (component.image_id !== undefined) {
      const record = await this.options.store.images.find(component.image_id);
      if (record === undefined || record.conversationId !== conversationId) {
        throw new BotwireError(
          'IMAGE_NOT_FOUND',
          `No image ${component.image_id} was uploaded to this conversation; upload it with the same pipeline, session_type and session as this connection (POST /api/v1/pipelines/${pipeline.uuid}/images).`,
        );
      }
      if (record.attachedAt === undefined) {
        // Marked before the message is stored: should the store then fail, the image is kept
        // with its conversation rather than swept while a retry may still send it.
        await this.options.store.images.markAttached(record.id, new Date(this.now()).toISOString());
      }
      return {
        type: 'Image',
        image_id: record.id,
        url: imagePathOf(record.id),
        media_type: record.mediaType,
        bytes: record.bytes,
      };
    }
    if (component.url !== undefined) {
      if (!pipeline.images.allow_urls) {
        throw new BotwireError(
          'IMAGE_URL_NOT_ALLOWED',
          `Pipeline ${pipeline.uuid} does not accept images by URL; upload the image and send its image_id, or have an admin set images.allow_urls to true.`,
        );
      }
      return { type: 'Image', url: component.url };
    }
    return component;
  }
}

import { imagePathOf, type UploadedImage } from '@botwire/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context.js';
import { describeError } from '../../lib/backend.js';
import { checkImageFiles, MAX_ATTACHMENTS, type FileRefusal } from './image-files.js';

/** Previews are read into memory as data URLs (the console's CSP allows `data:`, not `blob:`). */
const MAX_PREVIEW_BYTES = 10 * 1024 * 1024;

/** An image waiting in the composer: a file to upload, or one already uploaded. */
export interface Attachment {
  /** A key for the list, unique in this page. */
  id: string;
  /** What the user calls it: the file name, or the description of an image sent before. */
  name: string;
  /** The file to upload; none for an image sent before and put back by "Edit and resend". */
  file?: File;
  /** What the preview shows: a data URL of the file, or the served path of an uploaded image. */
  preview?: string;
  /** Set once uploaded, so sending again after another file failed does not upload it twice. */
  imageId?: string;
}

/** The composer's attachments: what {@link useImageAttachments} returns. */
export interface ImageAttachments {
  attachments: readonly Attachment[];
  /** Why files were refused or an upload failed, in the console's language. */
  errors: readonly string[];
  uploading: boolean;
  /** Attaches picked, pasted or dropped files; those that are not images are refused. */
  add: (files: readonly File[]) => void;
  remove: (id: string) => void;
  /** Puts images sent before back (Edit and resend): they need no new upload. */
  restore: (images: readonly { imageId: string; name: string }[]) => void;
  /** Uploads what is not uploaded yet; the image ids in order, or undefined when one failed. */
  uploadAll: () => Promise<string[] | undefined>;
  /** Empties the list after a send. */
  clear: () => void;
  dismissErrors: () => void;
}

const REFUSAL_KEY = {
  type: 'attachments.refusedType',
  empty: 'attachments.refusedEmpty',
  count: 'attachments.refusedCount',
} as const satisfies Record<FileRefusal, string>;

let nextId = 0;
const attachmentId = (): string => `attachment-${(nextId += 1)}`;

function readPreview(file: File): Promise<string | undefined> {
  if (file.size > MAX_PREVIEW_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : undefined);
    reader.onerror = () => resolve(undefined);
    reader.readAsDataURL(file);
  });
}

/**
 * Images attached in the composer, uploaded through `upload` (the SDK's `uploadImage` for the
 * open conversation) only when the message is sent, so a removed image never reaches the
 * server. `conversationKey` names that conversation: images uploaded to one belong to it, so
 * switching conversations forgets their ids (files upload again to the new one).
 */
export function useImageAttachments(
  upload: (file: File) => Promise<UploadedImage>,
  conversationKey: string,
): ImageAttachments {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const current = useRef(attachments);
  current.current = attachments;
  const { t } = useI18n();

  useEffect(() => {
    setAttachments((list) =>
      list.filter((entry) => entry.file !== undefined).map(({ imageId: _, ...entry }) => entry),
    );
  }, [conversationKey]);

  const add = useCallback(
    (files: readonly File[]) => {
      const { accepted, refused } = checkImageFiles(files, current.current.length);
      setErrors(
        refused.map(({ file, reason }) =>
          t(REFUSAL_KEY[reason], { name: file.name || '?', max: MAX_ATTACHMENTS }),
        ),
      );
      const added = accepted.map((file) => ({ id: attachmentId(), name: file.name, file }));
      if (added.length === 0) return;
      setAttachments((list) => [...list, ...added]);
      for (const entry of added) {
        void readPreview(entry.file).then((preview) => {
          if (preview === undefined) return;
          setAttachments((list) =>
            list.map((item) => (item.id === entry.id ? { ...item, preview } : item)),
          );
        });
      }
    },
    [t],
  );

  const remove = useCallback((id: string) => {
    setAttachments((list) => list.filter((entry) => entry.id !== id));
  }, []);

  const restore = useCallback((images: readonly { imageId: string; name: string }[]) => {
    setErrors([]);
    setAttachments(
      images.slice(0, MAX_ATTACHMENTS).map(({ imageId, name }) => ({
        id: attachmentId(),
        name,
        imageId,
        preview: imagePathOf(imageId),
      })),
    );
  }, []);

  const uploadAll = useCallback(async (): Promise<string[] | undefined> => {
    setErrors([]);
    setUploading(true);
    const ids: string[] = [];
    try {
      // One at a time: the uploads share the user's quota, and the first refusal stops the rest.
      for (const entry of current.current) {
        if (entry.imageId !== undefined) {
          ids.push(entry.imageId);
          continue;
        }
        if (entry.file === undefined) continue;
        try {
          const uploaded = await upload(entry.file);
          ids.push(uploaded.image_id);
          setAttachments((list) =>
            list.map((item) =>
              item.id === entry.id ? { ...item, imageId: uploaded.image_id } : item,
            ),
          );
        } catch (error) {
          setErrors([
            t('attachments.uploadFailed', { name: entry.name, error: describeError(error) }),
          ]);
          return undefined;
        }
      }
      return ids;
    } finally {
      setUploading(false);
    }
  }, [t, upload]);

  const clear = useCallback(() => {
    setAttachments([]);
    setErrors([]);
  }, []);
  const dismissErrors = useCallback(() => setErrors([]), []);

  return { attachments, errors, uploading, add, remove, restore, uploadAll, clear, dismissErrors };
}

import { adminEn } from './en/admin.js';
import { apiKeysEn } from './en/api-keys.js';
import { chatEn } from './en/chat.js';
import { commonEn } from './en/common.js';
import { conversationsEn } from './en/conversations.js';
import { imagesEn } from './en/images.js';
import { pipelinesEn } from './en/pipelines.js';
import { widgetEn } from './en/widget.js';
import type { Locale } from './locale.js';
import type { TranslationOf } from './message.js';
import { adminZhCN } from './zh-CN/admin.js';
import { apiKeysZhCN } from './zh-CN/api-keys.js';
import { chatZhCN } from './zh-CN/chat.js';
import { commonZhCN } from './zh-CN/common.js';
import { conversationsZhCN } from './zh-CN/conversations.js';
import { imagesZhCN } from './zh-CN/images.js';
import { pipelinesZhCN } from './zh-CN/pipelines.js';
import { widgetZhCN } from './zh-CN/widget.js';

/**
 * The English catalogue, the source of the keys: one file per area of the console, under
 * `en/`; each language has the same files under its own folder, typed against these.
 */
export const en = {
  ...commonEn,
  ...pipelinesEn,
  ...chatEn,
  ...imagesEn,
  ...conversationsEn,
  ...adminEn,
  ...apiKeysEn,
  ...widgetEn,
} as const;

/** A key of the console's messages. */
export type MessageKey = keyof typeof en;

/** Simplified Chinese: every English key (a missing one fails typecheck). */
export const zhCN: TranslationOf<typeof en> = {
  ...commonZhCN,
  ...pipelinesZhCN,
  ...chatZhCN,
  ...imagesZhCN,
  ...conversationsZhCN,
  ...adminZhCN,
  ...apiKeysZhCN,
  ...widgetZhCN,
};

/** Every language's catalogue. */
export const catalogues: Readonly<Record<Locale, TranslationOf<typeof en>>> = {
  en,
  'zh-CN': zhCN,
};

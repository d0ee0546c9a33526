import type { imagesEn } from '../en/images.js';
import type { TranslationOf } from '../message.js';

/** 图片：在输入框中附加图片，以及在消息中显示图片。 */
export const imagesZhCN: TranslationOf<typeof imagesEn> = {
  'attachments.attach': '附加图片',
  'attachments.attachHint': '支持 PNG、JPEG、GIF 或 WebP。也可以在此粘贴或拖放图片。',
  'attachments.list': '待发送的图片',
  'attachments.remove': '移除 {name}',
  'attachments.previewAlt': '{name} 的预览',
  'attachments.refusedType': '{name} 不是 PNG、JPEG、GIF 或 WebP 图片，未附加。',
  'attachments.refusedEmpty': '{name} 是空文件，未附加。',
  'attachments.refusedCount': '每条消息最多 {max} 张图片：{name} 未附加。',
  'attachments.uploading': { other: '正在上传 {count} 张图片…' },
  'attachments.uploadFailed': '无法上传 {name}：{error}',
  'attachments.dropHere': '拖放图片以附加',
  'attachments.dismiss': '关闭',
  'image.alt': '图片，{details}',
  'image.altPlain': '图片',
  'image.openFullSize': '查看原图：{alt}',
  'image.close': '关闭',
  'image.openInTab': '在新标签页中打开',
  'image.unavailable': '图片不可用：已删除，或您无权查看',
  'image.external': '图片地址 {url}（不加载其他网站的图片）',
  'image.unusable': '控制台无法显示的图片',
  'image.images': '图片',
};

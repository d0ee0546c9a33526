/** The widget's words in English and Chinese; `data-lang` or the browser's language picks. */
export const WIDGET_STRINGS = {
  en: {
    open: 'Open chat',
    close: 'Close chat',
    title: 'Chat',
    placeholder: 'Type a message',
    send: 'Send',
    newChat: 'New chat',
    connecting: 'Connecting…',
    log: 'Conversation',
    you: 'You',
    bot: 'Bot',
    retryIn: (seconds: number) => `Try again in ${seconds} s.`,
    attach: 'Attach an image',
    removeImage: 'Remove image',
    image: 'Image',
    imageType: 'Only PNG, JPEG, GIF and WebP images can be sent.',
    notConnected: 'Not connected, so the message was not sent. Close and open the chat to retry.',
    newVisitor: {
      invalid:
        'Your saved chat could not be resumed: its token was refused as altered. A new chat was started.',
      expired: 'Your saved chat expired. A new chat was started.',
    },
  },
  zh: {
    open: '打开聊天',
    close: '关闭聊天',
    title: '聊天',
    placeholder: '输入消息',
    send: '发送',
    newChat: '新对话',
    connecting: '正在连接…',
    log: '对话',
    you: '你',
    bot: '机器人',
    retryIn: (seconds: number) => `请在 ${seconds} 秒后重试。`,
    attach: '添加图片',
    removeImage: '移除图片',
    image: '图片',
    imageType: '只能发送 PNG、JPEG、GIF 和 WebP 图片。',
    notConnected: '未连接，消息没有发送。请关闭后重新打开聊天再试。',
    newVisitor: {
      invalid: '无法恢复已保存的对话：其令牌被拒绝（已被篡改）。已开始新对话。',
      expired: '已保存的对话已过期。已开始新对话。',
    },
  },
} as const;

export type WidgetLanguage = keyof typeof WIDGET_STRINGS;

/** `data-lang` when it names a known language, else the browser's first language. */
export function pickLanguage(attribute: string | null, browser: readonly string[]): WidgetLanguage {
  const wanted = [attribute ?? '', ...browser].map((language) => language.toLowerCase());
  for (const language of wanted) {
    if (language.startsWith('zh')) return 'zh';
    if (language.startsWith('en')) return 'en';
  }
  return 'en';
}

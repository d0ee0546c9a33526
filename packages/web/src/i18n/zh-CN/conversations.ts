import type { conversationsEn } from '../en/conversations.js';
import type { TranslationOf } from '../message.js';

/** 流水线的会话浏览器。 */
export const conversationsZhCN: TranslationOf<typeof conversationsEn> = {
  'conversations.title': '会话：{name}',
  'conversations.loading': '正在加载会话…',
  'conversations.loadFailed': '无法加载会话：{error}',
  'conversations.debugChat': '调试聊天',
  'conversations.table': '会话表格',
  'conversations.caption': '{name} 的会话，按最近活动排序',
  'conversations.type': '类型',
  'conversations.session': '会话名',
  'conversations.owner': '所有者',
  'conversations.messages': '消息数',
  'conversations.lastMessage': '最后一条消息',
  'conversations.empty': '还没有会话：打开调试聊天并发送一条消息。',
  'conversations.view': '查看',
  'conversations.viewLabel': '查看会话 {type} {session}',
  'conversations.viewLabelOwner': '查看会话 {type} {session}（{owner}）',
  'conversations.region': '会话 {id}',
  'conversations.readOnly': '（只读）',
  'conversations.export': '导出 JSON',
  'conversations.exporting': '正在导出…',
  'conversations.continue': '在聊天中继续',
  'conversations.messagesFailed': '无法加载消息：{error}',
  'conversations.conversationMissing': '无法加载该会话。',
  'conversations.loadOlder': '加载更早的消息',
  'conversations.messagesLog': '消息',
  'conversations.noMessages': '没有消息。',
  'conversations.loadingMessages': '正在加载消息…',
  'conversations.person': '个人',
  'conversations.group': '群组',
};

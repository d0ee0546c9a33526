/**
 * The uuid of the built-in bot that carries WebSocket chats. The pipeline core knows it to tell
 * a mention of the bot in a group message; the adapters create the bot under it.
 */
export const WEBSOCKET_PROXY_BOT_UUID = 'websocket-proxy-bot';

import { WebSocketClient, type ChatMessage, type HistoryData } from '@botwire/client';
import { VisitorSession, WidgetError } from './visitor-session.js';
import { WIDGET_STRINGS, pickLanguage } from './widget-strings.js';
import { WIDGET_CSS } from './widget-styles.js';

/**
 * The embeddable chat widget: `<script src=".../widget.js" data-pipeline data-key async>`.
 * Plain DOM in a shadow root (no framework, to stay small), talking to the server through the
 * client SDK with a visitor token.
 */
function start(script: HTMLScriptElement): void {
  const pipelineUuid = script.dataset.pipeline ?? '';
  const widgetKey = script.dataset.key ?? '';
  const baseUrl = new URL(script.src).origin;
  const text = WIDGET_STRINGS[pickLanguage(script.dataset.lang ?? null, navigator.languages)];

  const host = document.createElement('div');
  host.setAttribute('data-botwire-widget', '');
  if (script.dataset.theme === 'dark' || script.dataset.theme === 'light') {
    host.setAttribute('data-theme', script.dataset.theme);
  }
  const root = host.attachShadow({ mode: 'open' });
  const make = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Record<string, string> = {},
    content = '',
  ): HTMLElementTagNameMap[K] => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.textContent = content;
    return element;
  };
  const style = make('style', {}, WIDGET_CSS);
  const launcher = make(
    'button',
    {
      class: 'launcher',
      'aria-expanded': 'false',
      'aria-controls': 'panel',
      'aria-label': text.open,
    },
    '💬',
  );
  const panel = make('div', {
    id: 'panel',
    class: 'panel',
    role: 'dialog',
    'aria-label': text.title,
    hidden: '',
  });
  const header = make('header');
  const title = make('h2', {}, text.title);
  const reset = make('button', { class: 'ghost', type: 'button' }, text.newChat);
  const close = make('button', { class: 'ghost', type: 'button', 'aria-label': text.close }, '✕');
  header.append(title, reset, close);
  const log = make('ol', {
    class: 'log',
    'aria-label': text.log,
    'aria-live': 'polite',
    'aria-relevant': 'additions text',
  });
  const status = make('p', { class: 'status', role: 'status' });
  const error = make('p', { class: 'error', role: 'alert', hidden: '' });
  const form = make('form');
  const label = make('label', { class: 'sr', for: 'input' }, text.placeholder);
  const input = make('textarea', { id: 'input', placeholder: text.placeholder, rows: '1' });
  const send = make('button', { type: 'submit' }, text.send);
  form.append(label, input, send);
  panel.append(header, log, status, error, form);
  root.append(style, launcher, panel);
  document.body.append(host);

  const session = new VisitorSession({
    baseUrl,
    pipelineUuid,
    widgetKey,
    onNewVisitor: (reason) => showError(new Error(text.newVisitor[reason])),
  });
  const bubbles = new Map<number, HTMLLIElement>();
  let client: WebSocketClient | undefined;

  const showError = (problem: unknown): void => {
    let message = problem instanceof Error ? problem.message : String(problem);
    if (problem instanceof WidgetError && problem.retryAfterSeconds !== undefined) {
      message += ` ${text.retryIn(problem.retryAfterSeconds)}`;
    }
    error.textContent = message;
    error.hidden = false;
  };
  const show = (message: ChatMessage): void => {
    let bubble = bubbles.get(message.id);
    if (bubble === undefined) {
      bubble = make('li', { class: `message ${message.role === 'user' ? 'user' : 'bot'}` });
      bubble.append(
        make('span', { class: 'sr' }, `${message.role === 'user' ? text.you : text.bot}: `),
        make('span'),
      );
      bubbles.set(message.id, bubble);
      log.append(bubble);
    }
    const body = bubble.lastElementChild;
    if (body !== null) body.textContent = message.content;
    log.scrollTop = log.scrollHeight;
  };

  const connect = async (): Promise<void> => {
    status.textContent = text.connecting;
    try {
      const history = await session.call<HistoryData>('GET', '/api/v1/widget/messages');
      for (const message of history.messages) show(message);
      const connection = new WebSocketClient(pipelineUuid, 'person', {
        baseUrl,
        getToken: () => session.token(),
      });
      connection.onMessage(show);
      connection.onConnected(() => (status.textContent = ''));
      connection.onSessionReset(() => {
        bubbles.clear();
        log.replaceChildren();
      });
      connection.onError((failure) => showError(failure));
      client = connection;
      await connection.connect();
    } catch (problem) {
      status.textContent = '';
      showError(problem);
    }
  };

  const setOpen = (open: boolean): void => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? text.close : text.open);
    if (open) {
      input.focus();
      if (client === undefined) void connect();
    } else {
      launcher.focus();
    }
  };
  launcher.addEventListener('click', () => setOpen(panel.hidden));
  close.addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (message === '' || client === undefined) return;
    error.hidden = true;
    input.value = '';
    client.send(message).catch(showError);
  });
  reset.addEventListener('click', () => {
    error.hidden = true;
    session.call('POST', '/api/v1/widget/reset').catch(showError);
  });
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  const begin = (): void => start(current);
  if (document.body === null) document.addEventListener('DOMContentLoaded', begin);
  else begin();
}

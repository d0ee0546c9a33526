import {
  WebSocketClient,
  type ChatMessage,
  type HistoryData,
  type MessageChain,
} from '@botwire/client';
import { VisitorSession, WidgetError } from './visitor-session.js';
import { IMAGE_TYPES, ImageThumbnails, partsOf } from './widget-images.js';
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
  const launcher = make('button', {
    class: 'launcher',
    'aria-expanded': 'false',
    'aria-controls': 'panel',
    'aria-label': text.open,
  });
  // Icons in SVG: emoji fonts are not on every system.
  launcher.innerHTML =
    '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
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
  const attach = make('button', {
    class: 'ghost attach',
    type: 'button',
    'aria-label': text.attach,
  });
  attach.innerHTML =
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7"/></svg>';
  const picker = make('input', {
    type: 'file',
    accept: IMAGE_TYPES.join(','),
    multiple: '',
    hidden: '',
    'aria-label': text.attach,
  });
  const attachments = make('ul', { class: 'attachments', 'aria-label': text.image });
  form.append(attach, picker, label, input, send);
  panel.append(header, log, status, error, attachments, form);
  root.append(style, launcher, panel);
  document.body.append(host);

  const session = new VisitorSession({
    baseUrl,
    pipelineUuid,
    widgetKey,
    onNewVisitor: (reason) => showError(new Error(text.newVisitor[reason])),
  });
  const bubbles = new Map<number, HTMLLIElement>();
  const thumbnails = new ImageThumbnails(session);
  let pending: { file: File; url: string }[] = [];
  let client: WebSocketClient | undefined;
  /** The first connection under way: a message typed meanwhile waits for it. */
  let opening: Promise<void> | undefined;

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
    const parts = partsOf(message);
    const body = bubble.children[1];
    if (body !== undefined) body.textContent = parts.text;
    if (parts.imageIds.length > 0 && bubble.children.length < 3) {
      const images = make('span', { class: 'images' });
      for (const id of parts.imageIds) images.append(thumbnails.thumbnail(id, text.image));
      bubble.append(images);
    }
    log.scrollTop = log.scrollHeight;
  };

  const connect = async (): Promise<void> => {
    status.textContent = text.connecting;
    try {
      const history = await session.call<HistoryData>('GET', '/api/v1/widget/messages');
      for (const message of history.messages) show(message);
      attach.hidden = !session.allowsImages();
      const connection = new WebSocketClient(pipelineUuid, 'person', {
        baseUrl,
        getToken: () => session.token(),
      });
      connection.onMessage(show);
      connection.onConnected(() => (status.textContent = ''));
      connection.onSessionReset(() => {
        bubbles.clear();
        log.replaceChildren();
        thumbnails.clear();
      });
      connection.onError((failure) => showError(failure));
      client = connection;
      await connection.connect();
    } catch (problem) {
      status.textContent = '';
      showError(problem);
      // Opening the panel again tries again.
      client = undefined;
      opening = undefined;
    }
  };

  const setOpen = (open: boolean): void => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? text.close : text.open);
    if (open) {
      input.focus();
      opening ??= connect();
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
  const renderPending = (): void => {
    attachments.replaceChildren(
      ...pending.map((item, index) => {
        const entry = make('li');
        const remove = make('button', { class: 'ghost', type: 'button' }, '✕');
        remove.setAttribute('aria-label', `${text.removeImage} ${index + 1}`);
        remove.addEventListener('click', () => {
          URL.revokeObjectURL(item.url);
          pending = pending.filter((other) => other !== item);
          renderPending();
          input.focus();
        });
        entry.append(make('img', { src: item.url, alt: `${text.image} ${index + 1}` }), remove);
        return entry;
      }),
    );
  };
  const addImages = (files: Iterable<File>): void => {
    for (const file of files) {
      if (!IMAGE_TYPES.includes(file.type)) {
        showError(new Error(text.imageType));
        continue;
      }
      pending.push({ file, url: URL.createObjectURL(file) });
    }
    renderPending();
  };
  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    addImages(picker.files ?? []);
    picker.value = '';
  });
  input.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    addImages(files);
  });
  // Messages go out one after another, in the order they were submitted, even while an earlier
  // one still waits for the connection or uploads its images.
  let outgoing: Promise<void> = Promise.resolve();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (message === '' && pending.length === 0) return;
    error.hidden = true;
    const sending = pending;
    // Taken now, not after an await: what the visitor types next belongs to the next message.
    input.value = '';
    pending = [];
    renderPending();
    send.disabled = true;
    outgoing = outgoing.then(async () => {
      try {
        await opening;
        const connection = client;
        if (connection === undefined) throw new Error(text.notConnected);
        const chain: MessageChain = message === '' ? [] : [{ type: 'Plain', text: message }];
        for (const item of sending) {
          const { image_id: imageId } = await session.upload(item.file);
          thumbnails.adopt(imageId, item.file);
          chain.push({ type: 'Image', image_id: imageId });
        }
        await connection.send(chain);
        for (const item of sending) URL.revokeObjectURL(item.url);
      } catch (problem) {
        // Given back, unless the visitor already typed something else.
        if (input.value === '') input.value = message;
        pending = [...sending, ...pending];
        renderPending();
        showError(problem);
      } finally {
        send.disabled = false;
      }
    });
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

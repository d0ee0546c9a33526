import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { BotwireClientError, type ChatMessage } from '@botwire/client';
import { describe, expect, it, vi } from 'vitest';
import { createColors } from '../output/colors.js';
import { runChatLoop, type ChatBackend, type ChatLoopOptions } from './chat-loop.js';
import { Collector, FakeConnection } from './fake-connection.test-support.js';
import { Terminal } from './terminal.js';

const PIPELINE = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';

function historyMessage(id: number, role: 'user' | 'assistant', content: string): ChatMessage {
  return {
    id,
    role,
    content,
    message_chain: [{ type: 'Plain', text: content }],
    timestamp: '2026-11-24T12:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: role === 'assistant' ? id - 1 : null,
    sender: role === 'user' ? { id: 'static:1', name: 'tester' } : null,
  };
}

function fakeBackend() {
  return {
    getHistory: vi.fn<ChatBackend['getHistory']>(() =>
      Promise.resolve({
        messages: [historyMessage(1, 'user', 'earlier'), historyMessage(2, 'assistant', 'answer')],
        has_more: false,
        last_seq: 2,
      }),
    ),
    resetConversation: vi.fn<ChatBackend['resetConversation']>(() => Promise.resolve()),
    uploadImage: vi.fn<ChatBackend['uploadImage']>((_uuid, image) =>
      Promise.resolve({
        image_id: `img_${String((image as Uint8Array).byteLength).padStart(24, '0')}`,
        url: '/api/v1/images/x',
        media_type: 'image/png',
        bytes: (image as Uint8Array).byteLength,
      }),
    ),
  };
}

function setUp(lines: string | undefined, overrides: Partial<ChatLoopOptions> = {}) {
  const client = (overrides.client as FakeConnection | undefined) ?? new FakeConnection();
  const backend =
    (overrides.backend as ReturnType<typeof fakeBackend> | undefined) ?? fakeBackend();
  const input = new PassThrough();
  const stdout = new Collector();
  const stderr = new Collector();
  const colors = createColors(false);
  if (lines !== undefined) input.end(lines);
  const run = runChatLoop({
    client,
    backend,
    input,
    terminal: new Terminal(stdout, stderr, colors, colors),
    interactive: false,
    pipeline: PIPELINE,
    sessionType: 'person',
    describeError: (error) =>
      error instanceof BotwireClientError ? `${error.code}: ${error.message}` : String(error),
    ...overrides,
  });
  return { client, backend, input, stdout, stderr, run };
}

describe('runChatLoop with piped input', () => {
  it('prints the streamed reply and exits 0 on /quit', async () => {
    const { client, stdout, stderr, run } = setUp('hello there\n/quit\n');
    await expect(run).resolves.toBe(0);
    expect(stdout.text).toBe('you: hello there\nbot: hello there\n');
    expect(stderr.text).toContain(`Connected to pipeline ${PIPELINE}`);
    expect(client.disconnects).toBe(1);
  });

  it('writes each reply as it grows, printing only the new text', async () => {
    const client = new FakeConnection({ reply: () => ['one', 'one two', 'one two three'] });
    const { stdout, run } = setUp('go\n', { client });
    await run;
    expect(stdout.text).toBe('you: go\nbot: one two three\n');
  });

  it('waits for each reply to finish before sending the next line', async () => {
    const client = new FakeConnection({ chunkDelayMs: 5 });
    const { run } = setUp('first message here\nsecond message\nthird\n', { client });
    await expect(run).resolves.toBe(0);
    expect(client.sent.map((sent) => sent.text)).toEqual([
      'first message here',
      'second message',
      'third',
    ]);
    for (let index = 1; index < client.sent.length; index += 1) {
      expect(client.sent[index]!.at).toBeGreaterThanOrEqual(client.finals[index - 1]!.at);
    }
  });

  it('exits 0 at the end of input without /quit, after the last reply', async () => {
    const { stdout, run } = setUp('bye now');
    await expect(run).resolves.toBe(0);
    expect(stdout.text).toContain('bot: bye now\n');
  });

  it('uploads /image files to its own conversation and sends them with the next message', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'botwire-cli-image-'));
    try {
      const file = join(directory, 'photo.png');
      await writeFile(file, new Uint8Array(7));
      const { backend, client, stderr, run } = setUp(
        `/image ${join(directory, 'missing.png')}\n/image ${file}\nwhat is this\nand now\n`,
        { session: 'pics' },
      );
      await expect(run).resolves.toBe(0);
      expect(stderr.text).toContain('missing.png: no such file.');
      expect(backend.uploadImage).toHaveBeenCalledTimes(1);
      expect(backend.uploadImage.mock.calls[0]?.[2]).toEqual({
        sessionType: 'person',
        session: 'pics',
      });
      expect(client.sent.map((sent) => sent.chain)).toEqual([
        [
          { type: 'Plain', text: 'what is this' },
          { type: 'Image', image_id: `img_${'7'.padStart(24, '0')}` },
        ],
        [{ type: 'Plain', text: 'and now' }],
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('does not send a message whose image upload failed, and exits 1', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'botwire-cli-image-'));
    try {
      const file = join(directory, 'notes.txt');
      await writeFile(file, 'not an image');
      const backend = fakeBackend();
      backend.uploadImage.mockRejectedValueOnce(
        new BotwireClientError({
          code: 'IMAGE_TYPE_UNSUPPORTED',
          message: 'not a PNG, JPEG, GIF or WebP',
          status: 415,
        }),
      );
      const { client, stderr, run } = setUp(`/image ${file}\nlook\n`, { backend });
      await expect(run).resolves.toBe(1);
      expect(stderr.text).toContain('IMAGE_TYPE_UNSUPPORTED: not a PNG, JPEG, GIF or WebP');
      expect(stderr.text).toContain('the message was not sent');
      expect(client.sent).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('shows the history and resets the conversation over REST', async () => {
    const { backend, client, stdout, run, input } = setUp(undefined);
    input.write('/history\n');
    input.write('/reset\n');
    // The server's session_reset event for our own reset is not announced twice.
    backend.resetConversation.mockImplementation(() => {
      client.emitSessionReset();
      return Promise.resolve();
    });
    input.end('/history 5\n/quit\n');
    await expect(run).resolves.toBe(0);
    expect(backend.getHistory).toHaveBeenNthCalledWith(1, PIPELINE, 'person', {
      session: undefined,
      limit: 20,
    });
    expect(backend.getHistory).toHaveBeenNthCalledWith(2, PIPELINE, 'person', {
      session: undefined,
      limit: 5,
    });
    expect(backend.resetConversation).toHaveBeenCalledWith(PIPELINE, 'person', {
      session: undefined,
    });
    expect(stdout.text).toContain('tester: earlier\n');
    expect(stdout.text).toContain('bot: answer\n');
    expect(stdout.text).toContain(
      'Conversation reset: its history and the model context are cleared.',
    );
    expect(stdout.text).not.toContain('[the conversation was reset]');
  });

  it('announces a reset made elsewhere, and broadcasts, on lines of their own', async () => {
    const client = new FakeConnection({ chunkDelayMs: 40 });
    const { stdout, run, input } = setUp(undefined, { client });
    input.write('a b c d e f g h\n');
    await vi.waitFor(() => expect(stdout.text).toContain('bot: a b'), { interval: 5 });
    client.emitBroadcast('maintenance at noon');
    await vi.waitFor(() => expect(stdout.text).toContain('(continued)'), { interval: 5 });
    client.emitSessionReset();
    input.end('/quit\n');
    await run;
    expect(stdout.text).toMatch(/bot: a b[^\n]*\n\[broadcast\] maintenance at noon\n/);
    expect(stdout.text).toMatch(/bot \(continued\): [^\n]*h\n/);
    expect(stdout.text).toContain('[the conversation was reset]\n');
  });

  it('sends /stop as a cancel', async () => {
    const { client, stderr, run } = setUp('hi\n/stop\n/quit\n');
    await expect(run).resolves.toBe(0);
    expect(client.cancels).toBe(1);
    // Piped: the reply had finished, so the server says there was nothing to stop.
    expect(stderr.text).toContain('NOTHING_TO_CANCEL');
  });

  it('sends unknown /words as messages (group prefixes such as /ask)', async () => {
    const { client, run } = setUp('/ask what now\n/quit\n');
    await run;
    expect(client.sent.map((sent) => sent.text)).toEqual(['/ask what now']);
  });

  it('exits 1 when the connection closes for good, saying why', async () => {
    const client = new FakeConnection({ reply: () => undefined });
    const { stderr, run, input } = setUp(undefined, {
      client,
      sessionType: 'group',
      groupTriggers: { mention: true, prefixes: [], probability: 0.5 },
      maybeReplyWaitMs: 10_000,
    });
    input.write('maybe answered\n');
    await vi.waitFor(() => expect(client.sent).toHaveLength(1));
    client.closeForGood();
    await expect(run).resolves.toBe(1);
    expect(stderr.text).toContain(
      '[disconnected: CONNECTION_CLOSED: Gave up after 5 reconnect attempts.]',
    );
  });

  it('exits 1 when a message is refused, after saying so', async () => {
    const client = new FakeConnection({
      refuseSend: () => new BotwireClientError({ code: 'QUEUE_FULL', message: 'Too many.' }),
    });
    const { stderr, run } = setUp('one\n/quit\n', { client });
    await expect(run).resolves.toBe(1);
    expect(stderr.text).toContain('error: QUEUE_FULL: Too many.');
  });

  it('does not wait for a reply a group message will not get, and mentions with @bot', async () => {
    const client = new FakeConnection();
    const { stdout, run } = setUp('just chatting\n@bot hello\n/quit\n', {
      client,
      sessionType: 'group',
      groupTriggers: { mention: true, prefixes: [], probability: 0 },
    });
    await expect(run).resolves.toBe(0);
    expect(client.sent[1]!.chain).toEqual([
      { type: 'At', target: PIPELINE, display: 'bot' },
      { type: 'Plain', text: ' hello' },
    ]);
    expect(stdout.text).toContain('you: just chatting\n');
  });

  it('shows messages of other participants', async () => {
    const { client, stdout, run, input } = setUp(undefined);
    input.write('\n');
    await vi.waitFor(() => expect(client.state).toBe('connected'));
    client.emitMessage({
      ...historyMessage(50, 'user', 'hi all'),
      sender: { id: 'u', name: 'ann' },
    });
    input.end('/quit\n');
    await run;
    expect(stdout.text).toContain('ann: hi all\n');
  });

  it('returns 130 when interrupted while waiting', async () => {
    const client = new FakeConnection({ reply: () => ['never', 'ends'], chunkDelayMs: 60_000 });
    const controller = new AbortController();
    const { run, input } = setUp(undefined, { client, signal: controller.signal });
    input.write('hello\n');
    await vi.waitFor(() => expect(client.sent).toHaveLength(1));
    controller.abort();
    await expect(run).resolves.toBe(130);
    expect(client.disconnects).toBe(1);
  });

  it('rejects with the connect error, printing nothing else', async () => {
    const refusal = new BotwireClientError({ code: 'AUTH_FAILED', message: 'no' });
    const client = new FakeConnection({ refuseConnect: refusal });
    const { run, stderr } = setUp('hi\n', { client });
    await expect(run).rejects.toBe(refusal);
    expect(stderr.text).toBe('');
  });
});

describe('runChatLoop at a terminal', () => {
  it('does not echo keys typed while a reply streams into it, and shows them after', async () => {
    const client = new FakeConnection({
      reply: () => ['one', 'one two', 'one two three'],
      chunkDelayMs: 30,
    });
    // The terminal's screen: the chat's own output and readline's prompt and echo, in order.
    const screen = new Collector(true);
    const promptOutput = new PassThrough();
    promptOutput.on('data', (chunk: Buffer) => screen.write(chunk.toString()));
    const { input, run } = setUp(undefined, {
      client,
      interactive: true,
      promptOutput,
      terminal: new Terminal(screen, new Collector(true), createColors(false), createColors(false)),
    });
    await vi.waitFor(() => expect(screen.text).toContain('> '));
    input.write('hello\r');
    await vi.waitFor(() => expect(screen.text).toContain('one'));
    // Typed while the reply is still streaming.
    input.write('abc');
    await vi.waitFor(() => expect(client.finals).toHaveLength(1));
    // The prompt comes back after the reply, with what was typed on it.
    await vi.waitFor(() => expect(screen.text).toContain('> abc'));
    const reply = screen.text.slice(screen.text.indexOf('bot:'), screen.text.lastIndexOf('> abc'));
    expect(reply).toContain('one two three');
    expect(reply).not.toContain('abc');
    input.write('\u0004');
    input.end();
    await run;
  });
});

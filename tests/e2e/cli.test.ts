import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MultiReport } from '@botwire/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  childPids,
  killAllCli,
  runBuiltCli,
  startBuiltCli,
  type CliOptions,
} from '../support/cli-process.js';
import { rest } from '../support/rest-client.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { ONE_PIXEL_PNG } from '../support/image-fixtures.js';

const UNKNOWN_PIPELINE = '00000000-0000-4000-8000-000000000000';
const KEY_HINT = '401: API key rejected, pass --api-key or set BOTWIRE_API_KEY';

/** The built `botwire` command against a real server process, as a user would run it. */
describe('botwire CLI', () => {
  let server: ServerProcess;
  let pipeline: string;
  let botwire: (args: string[], options?: CliOptions) => ReturnType<typeof runBuiltCli>;

  beforeAll(async () => {
    server = await startServerProcess();
    pipeline = server.defaultPipelineUuid;
    const env = { BOTWIRE_URL: server.url, BOTWIRE_API_KEY: ADMIN_KEY };
    botwire = (args, options = {}) =>
      runBuiltCli(args, { ...options, env: { ...env, ...options.env } });
  });
  afterAll(async () => {
    killAllCli();
    await server[Symbol.asyncDispose]();
  });

  it('lists its commands in --help', async () => {
    const run = await botwire(['--help']);
    expect(run.code).toBe(0);
    for (const command of [
      'chat',
      'serve',
      'pipelines',
      'connections',
      'broadcast',
      'keys',
      'users',
      'history',
      'reset',
      'raw',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('chats with piped input: prints the echoed reply and exits 0 on /quit', async () => {
    const run = await botwire(['chat', pipeline], { input: 'hello there\n/quit\n' });
    expect(run.stderr).toContain(`Connected to pipeline ${pipeline}`);
    expect(run.stdout).toMatch(/^you: hello there$/m);
    expect(run.stdout).toMatch(/^bot: .*hello there$/m);
    expect(run.code).toBe(0);
  });

  it('sends an image with --image, and refuses a missing or non-image file clearly', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'botwire-cli-image-'));
    try {
      const photo = path.join(directory, 'photo.png');
      writeFileSync(photo, ONE_PIXEL_PNG);
      const session = `image-${Date.now()}`;
      const run = await botwire(['chat', pipeline, '--session', session, '--image', photo], {
        input: 'what is this?\n/quit\n',
      });
      expect(run.stderr).not.toContain('error');
      // The echo runner describes the image it was given: it reached the pipeline as an image.
      expect(run.stdout).toMatch(/^bot: .*what is this\?.*\[Image image\/png/m);
      expect(run.code).toBe(0);
      const history = await botwire(['history', pipeline, '--session', session, '--json']);
      expect(history.stdout).toContain('"image_id"');

      const missing = await botwire(['chat', pipeline, '--image', path.join(directory, 'no.png')]);
      expect(missing.stderr).toContain('--image');
      expect(missing.stderr).toContain('no.png: no such file.');
      expect(missing.code).toBe(2);

      const text = path.join(directory, 'notes.txt');
      writeFileSync(text, 'not an image at all');
      const refused = await botwire(['chat', pipeline, '--image', text], { input: 'look\n' });
      expect(refused.stderr).toContain('IMAGE_TYPE_UNSUPPORTED');
      expect(refused.stderr).toContain('the message was not sent');
      expect(refused.code).toBe(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('serves /history and /reset in a piped session', async () => {
    const session = 'e2e-history';
    const run = await botwire(['chat', pipeline, '--session', session], {
      input: 'remember this\n/history\n/reset\n/history\n/quit\n',
    });
    expect(run.code).toBe(0);
    const [before, after] = run.stdout.split(
      'Conversation reset: its history and the model context are cleared.',
    );
    expect(before).toMatch(/--- history: 2 message\(s\)/);
    expect(before).toMatch(/^\d\d:\d\d:\d\d .+: remember this$/m);
    expect(before).toMatch(/^\d\d:\d\d:\d\d bot: .*remember this$/m);
    expect(after).toMatch(/--- history: 0 message\(s\)[\s\S]*\(no messages yet\)/);
    const history = await rest(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipeline}/ws/messages/person?session=${session}`,
    );
    expect(history.body.data.messages).toEqual([]);
  });

  it('runs --multi 50 --messages 2 --json with a consistent report', async () => {
    const run = await botwire(['chat', pipeline, '--multi', '50', '--messages', '2', '--json']);
    expect(run.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as MultiReport;
    expect(report.connections).toEqual({ requested: 50, ok: 50, failed: 0 });
    expect(report.messages).toEqual({ requested: 100, sent: 100, failed: 0 });
    expect(report.replies).toEqual({ complete: 100, incomplete: 0, none: 0 });
    expect(report.chunks).toBeGreaterThanOrEqual(100);
    const { firstChunk, finalReply } = report.latencyMs;
    for (const summary of [firstChunk, finalReply]) {
      expect(summary.count).toBe(100);
      expect(summary.p50).toBeLessThanOrEqual(summary.p95!);
      expect(summary.p95).toBeLessThanOrEqual(summary.p99!);
    }
    expect(firstChunk.p50).toBeLessThanOrEqual(finalReply.p50!);
    expect(report.errors).toEqual({});
    expect(report.wallTimeMs).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  });

  it('fails --multi against an unknown pipeline with a PIPELINE_NOT_FOUND line', async () => {
    const run = await botwire([
      'chat',
      UNKNOWN_PIPELINE,
      '--multi',
      '50',
      '--messages',
      '2',
      '--json',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^PIPELINE_NOT_FOUND: .*botwire pipelines list$/m);
  });

  it('prints the actionable 401 line and exits 1 for a wrong API key', async () => {
    const wrongKey = { env: { BOTWIRE_API_KEY: 'not-a-key-0123456789' } };
    for (const args of [
      ['chat', pipeline],
      ['pipelines', 'list'],
    ]) {
      const run = await botwire(args, { ...wrongKey, input: 'hello\n/quit\n' });
      expect(run.stderr.trim()).toBe(KEY_HINT);
      expect(run.code).toBe(1);
    }
  });

  it('lists, creates and shows pipelines', async () => {
    const list = await botwire(['pipelines', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^UUID +NAME +RUNNER +DEFAULT$/m);
    expect(list.stdout).toMatch(new RegExp(`^${pipeline} +.+ +echo +yes$`, 'm'));

    const created = await botwire(['pipelines', 'create', '--name', 'x']);
    expect(created.code).toBe(0);
    const uuid = /Created pipeline ([0-9a-f-]{36}) "x" \(echo\)/.exec(created.stdout)?.[1];
    expect(uuid).toBeDefined();

    const shown = await botwire(['pipelines', 'show', uuid!]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ uuid, name: 'x', is_default: false });

    const json = await botwire(['pipelines', 'list', '--json']);
    const listed = JSON.parse(json.stdout) as { uuid: string }[];
    expect(listed.map((item) => item.uuid)).toContain(uuid);
  });

  it('creates, lists and revokes API keys', async () => {
    const created = await botwire(['keys', 'create', 'e2e-key', '--pipelines', pipeline]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^bw_key_\S+$/);
    expect(created.stderr).toContain('shown only this once');
    const id = /Created API key #(\d+) "e2e-key" \(member, pipeline /.exec(created.stderr)?.[1];
    expect(id).toBeDefined();

    // The new key works, for the pipeline it was given.
    const asMember = await botwire(['pipelines', 'list'], { env: { BOTWIRE_API_KEY: secret } });
    expect(asMember.code).toBe(0);
    expect(asMember.stdout).toContain(pipeline);

    const listed = await botwire(['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      // Times relative, as gh shows them; the ID column right-aligned.
      new RegExp(
        `^ *${id} +e2e-key +\\S+ +member +${pipeline} +just now +just now +never +active$`,
        'm',
      ),
    );

    const revoked = await botwire(['keys', 'revoke', id!]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked API key #${id}.\n`);
    const after = await botwire(['keys', 'list', '--json']);
    const keys = JSON.parse(after.stdout) as { id: number; revoked_at: string | null }[];
    expect(keys.find((key) => key.id === Number(id))?.revoked_at).toEqual(expect.any(String));

    const rejected = await botwire(['pipelines', 'list'], { env: { BOTWIRE_API_KEY: secret } });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr.trim()).toBe(KEY_HINT);

    const missing = await botwire(['keys', 'revoke', '999999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^NOT_FOUND: .*botwire keys list$/m);
  });

  it('creates keys with an expiry, and refuses a bad one with a clear message', async () => {
    const before = Date.now();
    const created = await botwire(['keys', 'create', 'expiring', '--expires-in', '30d']);
    expect(created.code).toBe(0);
    const expiresAt = /"expiring" \(member, all pipelines, expires (\S+)\):/.exec(
      created.stderr,
    )?.[1];
    expect(Date.parse(expiresAt ?? '')).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(Date.parse(expiresAt ?? '')).toBeLessThan(Date.now() + 30 * 86_400_000 + 1_000);

    const listed = await botwire(['keys', 'list']);
    expect(listed.stdout).toMatch(/ expiring +.* +in 29 days +active$/m);
    const json = JSON.parse((await botwire(['keys', 'list', '--json'])).stdout) as {
      name: string;
      expires_at: string | null;
      expired: boolean;
    }[];
    expect(json.find((key) => key.name === 'expiring')).toMatchObject({
      expires_at: expiresAt,
      expired: false,
    });

    const dated = await botwire([
      'keys',
      'create',
      'dated',
      '--expires-at',
      '2099-01-01T00:00:00Z',
    ]);
    expect(dated.code).toBe(1);
    expect(dated.stderr).toContain('expires_at must be at most 366 days away');

    const past = await botwire(['keys', 'create', 'past', '--expires-at', '2020-01-01T00:00:00Z']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('expires_at must be in the future');

    const badUnit = await botwire(['keys', 'create', 'bad', '--expires-in', '30']);
    expect(badUnit.code).toBe(2);
    expect(badUnit.stderr).toContain(
      'expected a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 30d.',
    );
  });

  it('broadcasts to live connections and shows them in connections', async () => {
    const session = 'e2e-broadcast';
    const chat = startBuiltCli(['chat', pipeline, '--session', session], {
      env: { BOTWIRE_URL: server.url, BOTWIRE_API_KEY: ADMIN_KEY },
    });
    try {
      await chat.waitForOutput((_stdout, stderr) => stderr.includes('Connected to pipeline'));

      const connections = await botwire(['connections', pipeline]);
      expect(connections.code).toBe(0);
      expect(connections.stdout).toMatch(/^Connections +1$/m);
      expect(connections.stdout).toMatch(new RegExp(`^\\S+ +person +${session} +`, 'm'));

      const broadcast = await botwire(['broadcast', pipeline, 'maintenance at noon']);
      expect(broadcast.code).toBe(0);
      expect(broadcast.stdout).toBe('Broadcast sent to 1 connection.\n');
      await chat.waitForOutput((stdout) => stdout.includes('[broadcast] maintenance at noon'));

      chat.child.stdin?.end('/quit\n');
      const ended = await chat.exited(10_000);
      expect(ended.code).toBe(0);
    } finally {
      chat.child.kill('SIGKILL');
    }
  });

  it('serves: runs the server, passes the flags, forwards SIGTERM and its exit code', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-cli-serve-'));
    const serve = startBuiltCli(['serve', '--port', '0', '--host', '127.0.0.1'], {
      env: {
        BOTWIRE_DATA_DIR: dataDir,
        BOTWIRE_API_KEYS: ADMIN_KEY,
        BOTWIRE_LOG_LEVEL: 'warn',
      },
    });
    let serverPids: number[] = [];
    try {
      await serve.waitForOutput((stdout) => /running at http:\/\/127\.0\.0\.1:\d+/.test(stdout));
      serverPids = childPids(serve.child.pid!);
      expect(serverPids).toHaveLength(1);
      const url = /running at (http:\/\/\S+)/.exec(serve.stdout())![1]!;
      const list = await botwire(['pipelines', 'list'], { env: { BOTWIRE_URL: url } });
      expect(list.code).toBe(0);

      serve.child.kill('SIGTERM');
      const ended = await serve.exited(10_000);
      expect(ended.code).toBe(0);
      expect(childPids(serve.child.pid!)).toEqual([]);
    } finally {
      serve.child.kill('SIGKILL');
      // The server runs in its own process group: make sure it is gone too.
      for (const pid of serverPids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('speaks JSON lines with raw: a ping in, the connected frame and the pong out', async () => {
    const url = `${server.wsUrl}/api/v1/pipelines/${pipeline}/ws/connect`;
    const run = await botwire(['raw', url, '--wait', '300'], {
      input: '{"type":"ping","timestamp":"t-1"}\nnot json\n',
    });
    const frames = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(frames.map((frame) => frame.type)).toEqual(['connected', 'pong']);
    expect(run.stderr).toContain('Not JSON, not sent: not json');
    expect(run.stderr).toMatch(/closed: 1000/);
    expect(run.code).toBe(0);
  });

  it('reports an unknown host as a DNS failure, for REST and for raw', async () => {
    const rest = await botwire(['pipelines', 'list'], {
      env: { BOTWIRE_URL: 'http://no-such-host.invalid:8000' },
    });
    expect(rest.stderr).toMatch(
      /Cannot resolve the host of http:\/\/no-such-host\.invalid:8000 \(DNS lookup failed: E[A-Z_]+\)/,
    );
    expect(rest.stderr).not.toContain('is it running');
    expect(rest.code).toBe(1);
    const raw = await botwire(['raw', 'ws://no-such-host.invalid:8000/x']);
    expect(raw.stderr).toMatch(
      /Cannot resolve the host of ws:\/\/no-such-host\.invalid:8000 \(DNS lookup failed/,
    );
    expect(raw.code).toBe(1);
  });

  it('checks, updates and deletes a pipeline', async () => {
    const created = await botwire(['pipelines', 'create', '--name', 'to maintain', '--json']);
    const { uuid } = JSON.parse(created.stdout) as { uuid: string };
    const check = await botwire(['pipelines', 'check', uuid, '--json']);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, runner: 'echo' });
    expect(check.code).toBe(0);

    const updated = await botwire([
      'pipelines',
      'update',
      uuid,
      '--name',
      'renamed',
      '--system-prompt',
      'Be brief.',
    ]);
    expect(updated.stderr).toContain(`Updated pipeline ${uuid} "renamed".`);
    const shown = await botwire(['pipelines', 'show', uuid]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'renamed', system_prompt: 'Be brief.' });
    const nothing = await botwire(['pipelines', 'update', uuid]);
    expect(nothing.code).toBe(2);
    const echoModel = await botwire(['pipelines', 'update', uuid, '--model', 'gpt-4o-mini']);
    expect(echoModel.stderr).toContain('has no model');

    const unconfirmed = await botwire(['pipelines', 'delete', uuid]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    const deleted = await botwire(['pipelines', 'delete', uuid, '--yes']);
    expect(deleted.code).toBe(0);
    const gone = await botwire(['pipelines', 'show', uuid]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('PIPELINE_NOT_FOUND');
  });

  it('prints and resets a conversation with history and reset', async () => {
    const session = 'e2e-history-command';
    await botwire(['chat', pipeline, '--session', session], { input: 'keep me\n/quit\n' });
    const history = await botwire(['history', pipeline, '--session', session]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^#\d+ {2}just now {2}.+: keep me$/m);
    expect(history.stdout).toMatch(/^#\d+ {2}just now {2}bot: .*keep me$/m);
    const page = await botwire([
      'history',
      pipeline,
      '--session',
      session,
      '--limit',
      '1',
      '--json',
    ]);
    expect(JSON.parse(page.stdout)).toMatchObject({
      has_more: true,
      messages: [{ role: 'assistant' }],
    });

    expect((await botwire(['reset', pipeline, '--session', session])).code).toBe(2);
    const reset = await botwire(['reset', pipeline, '--session', session, '--yes']);
    expect(reset.code).toBe(0);
    const empty = await botwire(['history', pipeline, '--session', session]);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('No messages in this conversation yet.');
  });

  it('lists, creates and deletes console users, with relative times', async () => {
    const created = await botwire(
      ['users', 'create', 'e2e-user', '--password-env', 'E2E_PASSWORD', '--json'],
      {
        env: { E2E_PASSWORD: 'a-long-enough-password' },
      },
    );
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout) as { id: number; username: string };
    expect(user.username).toBe('e2e-user');
    const listed = await botwire(['users', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^ *${user.id}  e2e-user +member  just now$`, 'm'));
    const missing = await botwire(['users', 'create', 'other', '--password-env', 'UNSET_VARIABLE']);
    expect(missing.code).toBe(2);
    const deleted = await botwire(['users', 'delete', String(user.id), '--yes']);
    expect(deleted.code).toBe(0);
    expect((await botwire(['users', 'list'])).stdout).not.toContain('e2e-user');
  });
});

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Inside the checkout, so that JS samples find `ws` in node_modules as the docs promise. */
const SCRATCH = path.join(ROOT, 'test-output', 'docs-samples');

/** The values the docs use, and the static key and password the test server gets for them. */
const DOCS_KEY = 'some-static-key-0123456789';
const DOCS_PIPELINE = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';
const ADMIN_PASSWORD = 'docs-admin-password';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The frames a server sends; other JSON with a `type` in the docs is a client frame or a body. */
const SERVER_FRAME_TYPES = new Set([
  'connected',
  'user_message',
  'response',
  'pong',
  'broadcast',
  'session_reset',
  'resync_required',
  'error',
]);

/** A fenced block marked `<!-- docs-sample: run -->` (or `run, compare`) in a Markdown file. */
interface Sample {
  file: string;
  line: number;
  language: string;
  code: string;
  /** With `compare`: the JSON block the docs show right after the sample, as its answer. */
  shown?: unknown;
}

function samplesOf(file: string): Sample[] {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const fenceAt = (from: number): { language: string; code: string; end: number } | undefined => {
    let start = from;
    while (start < lines.length && (lines[start] ?? '').trim() === '') start += 1;
    const open = /^```(\w*)/.exec(lines[start] ?? '');
    if (open === null) return undefined;
    const end = lines.findIndex((line, index) => index > start && line.startsWith('```'));
    return { language: open[1] ?? '', code: lines.slice(start + 1, end).join('\n'), end };
  };
  const samples: Sample[] = [];
  lines.forEach((line, index) => {
    const marker = /^<!-- docs-sample: (run(, compare)?) -->$/.exec(line);
    if (marker === null) return;
    const fence = fenceAt(index + 1);
    if (fence === undefined) throw new Error(`${file}:${index + 1}: marker without a fenced block`);
    const sample: Sample = { file, line: index + 1, language: fence.language, code: fence.code };
    if (marker[2] !== undefined) {
      const answer = fenceAt(fence.end + 1);
      if (answer?.language !== 'json') throw new Error(`${file}:${index + 1}: no JSON to compare`);
      sample.shown = JSON.parse(answer.code);
    }
    samples.push(sample);
  });
  return samples;
}

/**
 * The structure of a JSON value: object keys (recursively), array element structure, and the
 * type of everything else. Values differ between runs (ids, times); structure must not.
 */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** Shapes compared where both sides say something: an empty array matches any array. */
function sameShape(shown: unknown, real: unknown, at = '$'): string[] {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (Array.isArray(shown) && Array.isArray(real)) {
    // Arrays of variants (message components) compare an element with one of its own type.
    const first: unknown = shown[0];
    const partner: unknown = real.find(
      (element: unknown) => !isObject(element) || !isObject(first) || element.type === first.type,
    );
    if (shown.length === 0 || partner === undefined) return [];
    return sameShape(first, partner, `${at}[0]`);
  }
  if (isObject(shown) && isObject(real)) {
    // Maps keyed by uuid (statistics per pipeline) have run-specific keys.
    if (Object.keys(shown).some((key) => UUID.test(key))) return [];
    const shownKeys = Object.keys(shown).sort();
    const realKeys = Object.keys(real).sort();
    if (shownKeys.join() !== realKeys.join()) {
      return [
        `${at}: docs show keys ${shownKeys.join(',')}, the server sends ${realKeys.join(',')}`,
      ];
    }
    return shownKeys.flatMap((key) => sameShape(shown[key], real[key], `${at}.${key}`));
  }
  const shownType = JSON.stringify(shapeOf(shown));
  const realType = JSON.stringify(shapeOf(real));
  // null in the docs stands for "no value in this example"; the server may have one.
  if (shownType === realType || shownType === '"null"' || realType === '"null"') return [];
  return [`${at}: docs show ${shownType}, the server sends ${realType}`];
}

/**
 * The README's and docs/websocket.md's marked shell and JS samples, run against a real server
 * process, and the frames quoted in docs/websocket.md compared with what the server sends.
 */
describe('docs samples', () => {
  let server: ServerProcess;
  let host: string;

  /** Points a sample at the test server: its port, its default pipeline, its password. */
  const localize = (code: string): string =>
    code
      .replaceAll('127.0.0.1:8000', host)
      .replaceAll('localhost:8000', host)
      .replaceAll(DOCS_PIPELINE, server.defaultPipelineUuid)
      .replaceAll('<printed password>', ADMIN_PASSWORD);

  beforeAll(async () => {
    server = await startServerProcess({
      env: { BOTWIRE_API_KEYS: DOCS_KEY, BOTWIRE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    host = new URL(server.url).host;
    rmSync(SCRATCH, { recursive: true, force: true });
    mkdirSync(SCRATCH, { recursive: true });
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
    rmSync(SCRATCH, { recursive: true, force: true });
  });

  /** Runs a file's shell samples in one bash, in order (later ones use earlier variables). */
  async function runShellSamples(samples: Sample[]): Promise<Map<Sample, string>> {
    const script = [
      'set -euo pipefail',
      ...samples.flatMap((sample, index) => [localize(sample.code), `printf '\\n@@${index}@@\\n'`]),
      'printf "TOKEN=%s\\nPIPELINE=%s\\n" "${TOKEN:-}" "${PIPELINE:-}"',
    ].join('\n');
    const { stdout } = await run('bash', ['-c', script], { cwd: ROOT, timeout: 20_000 });
    const outputs = new Map<Sample, string>();
    let rest = stdout;
    samples.forEach((sample, index) => {
      const [output = '', after = ''] = rest.split(`\n@@${index}@@\n`);
      outputs.set(sample, output);
      rest = after;
    });
    outputs.set({ file: 'env', line: 0, language: 'env', code: '' }, rest);
    return outputs;
  }

  async function runJsSample(sample: Sample, env: Record<string, string>): Promise<string> {
    const file = path.join(SCRATCH, `${path.basename(sample.file, '.md')}-${sample.line}.mjs`);
    writeFileSync(file, localize(sample.code));
    const { stdout } = await run(process.execPath, [file], {
      cwd: ROOT,
      timeout: 15_000,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return stdout;
  }

  /** Every envelope a sample printed answered `code: 0`, and the shown answer has its shape. */
  function expectAnswers(sample: Sample, output: string): void {
    const where = `${sample.file}:${sample.line}`;
    const envelopes = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { code?: number });
    for (const envelope of envelopes)
      expect({ where, envelope }).toMatchObject({ where, envelope: { code: 0 } });
    if (sample.shown !== undefined) {
      expect(envelopes, `${where} printed no JSON answer`).toHaveLength(1);
      expect({ where, differences: sameShape(sample.shown, envelopes[0]) }).toEqual({
        where,
        differences: [],
      });
    }
  }

  it('runs the README samples: sign in, find the pipeline, make an API key, chat', async () => {
    const samples = samplesOf('README.md');
    expect(samples.map((sample) => sample.language)).toEqual(['sh', 'js']);
    const outputs = await runShellSamples(samples.filter((sample) => sample.language === 'sh'));
    const env = Object.fromEntries(
      [...outputs.entries()]
        .find(([sample]) => sample.file === 'env')?.[1]
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]) ?? [],
    );
    expect(env.PIPELINE).toBe(server.defaultPipelineUuid);
    expect(env.TOKEN).toMatch(/^bw_session_/);
    const keys = await rest<{ api_keys: { name: string }[] }>(server.url, 'GET', '/api/v1/keys', {
      token: DOCS_KEY,
    });
    expect(keys.body.data.api_keys.map((key) => key.name)).toContain('my laptop');

    const chat = samples.find((sample) => sample.language === 'js');
    const output = await runJsSample(chat!, {
      PIPELINE: env.PIPELINE ?? '',
      TOKEN: env.TOKEN ?? '',
    });
    const frames = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: { is_final?: boolean } });
    expect(frames[0]?.type).toBe('connected');
    expect(frames.at(-1)).toMatchObject({ type: 'response', data: { is_final: true } });
  });

  it('runs the marked docs/websocket.md samples and gets the answers it shows', async () => {
    const samples = samplesOf('docs/websocket.md');
    expect(samples.length).toBeGreaterThanOrEqual(8);
    const shell = samples.filter((sample) => sample.language === 'sh');
    const outputs = await runShellSamples(shell);
    for (const sample of shell) expectAnswers(sample, outputs.get(sample) ?? '');

    for (const sample of samples.filter((candidate) => candidate.language === 'js')) {
      const output = await runJsSample(sample, {});
      expect(output, `${sample.file}:${sample.line}`).toContain("type: 'connected'");
      expect(output).toContain('is_final: true');
      expect(output).toMatch(/closed 1005|closed 1000/);
    }
  });

  it('runs the marked docs/pipelines.md samples', async () => {
    const samples = samplesOf('docs/pipelines.md');
    expect(samples.length).toBeGreaterThanOrEqual(3);
    const outputs = await runShellSamples(samples);
    for (const sample of samples) expectAnswers(sample, outputs.get(sample) ?? '');
    const names = await rest<{ pipelines: { description: string }[] }>(
      server.url,
      'GET',
      '/api/v1/pipelines',
      {
        token: DOCS_KEY,
      },
    );
    expect(names.body.data.pipelines.map((pipeline) => pipeline.description)).toContain(
      'Answers product questions',
    );
  });

  it('quotes server frames in docs/websocket.md as the server sends them', async () => {
    const text = readFileSync(path.join(ROOT, 'docs/websocket.md'), 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const quoted = blocks
      .flatMap((block) => {
        try {
          return [JSON.parse(block) as unknown];
        } catch {
          // One frame per line, as the streaming examples show them.
          return block
            .trim()
            .split('\n')
            .flatMap((line) => {
              try {
                return [JSON.parse(line) as unknown];
              } catch {
                return [];
              }
            });
        }
      })
      .filter(
        (frame): frame is { type: string; code?: string; message?: string } =>
          frame !== null && typeof frame === 'object' && 'type' in frame,
      );

    // The real frames: a chat, a ping, bad frames, a broadcast, a reset, a resync.
    const url = `${server.wsUrl}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect`;
    const real: { type: string; code?: string; message?: string }[] = [];
    const socket = new WebSocket(`${url}?session_type=group&session=docs&last_seq=999999`, {
      headers: { authorization: `Bearer ${DOCS_KEY}` },
    });
    const finals = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as {
          type: string;
          data?: { is_final?: boolean };
        };
        real.push(frame);
        if (frame.type === 'session_reset') resolve();
      }),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    const send = (frame: unknown) =>
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    send({ type: 'ping', timestamp: 1 });
    send('not json');
    send({ type: 'foo' });
    send({ type: 'message', message: [{ type: 'Voice' }] });
    send({ type: 'message', message: [] });
    send({ type: 'message', message: [{ type: 'Image', url: 'ftp://example.com/x.png' }] });
    send({ type: 'cancel' });
    send({
      type: 'message',
      message: [
        { type: 'At', target: 'websocket-proxy-bot', display: 'bot' },
        { type: 'Plain', text: ' hi' },
      ],
      client_id: 'docs-1',
    });
    await new Promise<void>((resolve) => {
      const check = () =>
        real.some(
          (frame) =>
            frame.type === 'response' &&
            (frame as { data?: { is_final?: boolean } }).data?.is_final,
        )
          ? resolve()
          : socket.once('message', check);
      check();
    });
    await rest(server.url, 'POST', `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/broadcast`, {
      token: DOCS_KEY,
      body: { message: 'Maintenance at 12:00 UTC' },
    });
    await rest(
      server.url,
      'POST',
      `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/reset/group?session=docs`,
      {
        token: DOCS_KEY,
      },
    );
    await finals;
    socket.close();

    const differences: string[] = [];
    for (const frame of quoted) {
      const sameType = real.filter((candidate) => candidate.type === frame.type);
      if (frame.type === 'error') {
        const reproduced = sameType.filter((candidate) => candidate.code === frame.code);
        // Errors this run reproduces are compared word for word; the others (model errors, limits)
        // by shape only.
        if (reproduced.length > 0 && frame.code !== 'NOTHING_TO_CANCEL') {
          if (!reproduced.some((candidate) => candidate.message === frame.message)) {
            differences.push(
              `error ${frame.code}: docs say "${frame.message}", the server says ${reproduced.map((candidate) => `"${candidate.message}"`).join(' or ')}`,
            );
          }
        }
        const keys = Object.keys(frame).filter(
          (key) => !['type', 'code', 'message', 'reply_id', 'seq'].includes(key),
        );
        if (keys.length > 0) differences.push(`error frame with unknown keys ${keys.join(',')}`);
        continue;
      }
      if (!SERVER_FRAME_TYPES.has(frame.type)) continue;
      const sample =
        sameType.find((candidate) => {
          const data = (candidate as { data?: { is_final?: boolean } }).data;
          const shownData = (frame as { data?: { is_final?: boolean } }).data;
          return data?.is_final === shownData?.is_final;
        }) ?? sameType[0];
      if (sample === undefined) {
        differences.push(`no real "${frame.type}" frame to compare with`);
        continue;
      }
      differences.push(...sameShape(frame, sample, frame.type));
    }
    expect(quoted.length).toBeGreaterThan(20);
    expect(differences).toEqual([]);
  });
});

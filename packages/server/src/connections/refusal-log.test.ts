import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { RefusalLog } from './refusal-log.js';

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('RefusalLog', () => {
  it('logs at most the budget per window, then says how many it left out', () => {
    let now = 0;
    const { logger, lines } = capturingLogger();
    const log = new RefusalLog({ logger, linesPerWindow: 3, windowMs: 1_000, now: () => now });
    for (let index = 0; index < 50; index += 1) log.refused({ code: 'AUTH_FAILED' });
    expect(lines.filter((line) => line.includes('"connection refused"'))).toHaveLength(3);
    now = 1_000;
    log.refused({ code: 'AUTH_FAILED' });
    expect(lines.filter((line) => line.includes('"connection refused"'))).toHaveLength(4);
    const summary = lines.find((line) => line.includes('left out of the log'));
    expect(summary).toContain('"suppressed":47');
  });
});

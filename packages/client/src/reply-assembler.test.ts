import type { ResponseData } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { ReplyAssembler } from './reply-assembler.js';

function chunk(
  id: number,
  fields: { content: string; delta: string; status?: ResponseData['status'] },
): ResponseData {
  const status = fields.status ?? 'streaming';
  const isFinal = status !== 'streaming';
  return {
    id,
    role: 'assistant',
    content: fields.content,
    delta: fields.delta,
    message_chain: isFinal ? [{ type: 'Plain', text: fields.content }] : [],
    timestamp: '2026-01-01T00:00:00.000Z',
    is_final: isFinal,
    status,
    reply_to: id - 1,
  };
}

describe('ReplyAssembler', () => {
  it('appends deltas in delta mode and lets the final chunk replace the text', () => {
    const assembler = new ReplyAssembler('delta');
    expect(assembler.apply(chunk(2, { content: '', delta: 'Hel' })).content).toBe('Hel');
    const second = assembler.apply(chunk(2, { content: '', delta: 'lo' }));
    expect(second).toMatchObject({ id: 2, content: 'Hello', is_final: false, status: 'streaming' });
    expect(second).not.toHaveProperty('delta');
    expect(assembler.inProgress()).toEqual([second]);
    const final = assembler.apply(
      chunk(2, { content: 'Hello there', delta: '', status: 'complete' }),
    );
    expect(final).toMatchObject({ content: 'Hello there', is_final: true, status: 'complete' });
    expect(final.message_chain).toEqual([{ type: 'Plain', text: 'Hello there' }]);
    expect(assembler.inProgress()).toEqual([]);
  });

  it('replaces the text with each chunk in cumulative mode', () => {
    const assembler = new ReplyAssembler('cumulative');
    assembler.apply(chunk(2, { content: 'Hello', delta: 'Hello' }));
    expect(assembler.apply(chunk(2, { content: 'Hello there', delta: ' there' })).content).toBe(
      'Hello there',
    );
    expect(
      assembler.apply(chunk(2, { content: 'Hello there', delta: '', status: 'cancelled' })),
    ).toMatchObject({ content: 'Hello there', status: 'cancelled', is_final: true });
  });

  it('keeps interleaved replies apart by id: a second reply never overwrites the first', () => {
    const assembler = new ReplyAssembler('delta');
    assembler.apply(chunk(2, { content: '', delta: 'first ' }));
    assembler.apply(chunk(4, { content: '', delta: 'second ' }));
    assembler.apply(chunk(2, { content: '', delta: 'reply' }));
    const secondFinal = assembler.apply(
      chunk(4, { content: 'second reply', delta: '', status: 'complete' }),
    );
    expect(secondFinal.content).toBe('second reply');
    expect(assembler.inProgress().map((message) => [message.id, message.content])).toEqual([
      [2, 'first reply'],
    ]);
  });

  it('returns a new object for every chunk and leaves earlier snapshots alone', () => {
    const assembler = new ReplyAssembler('delta');
    const first = assembler.apply(chunk(2, { content: '', delta: 'a' }));
    const second = assembler.apply(chunk(2, { content: '', delta: 'b' }));
    expect(second).not.toBe(first);
    expect(first.content).toBe('a');
    expect(second.content).toBe('ab');
  });

  it('completes a reply joined half-way, and forgets replies on clear', () => {
    const assembler = new ReplyAssembler('delta');
    assembler.apply(chunk(2, { content: '', delta: 'lost' }));
    assembler.clear();
    expect(assembler.apply(chunk(2, { content: '', delta: ' tail' })).content).toBe(' tail');
    expect(
      assembler.apply(chunk(2, { content: 'whole tail', delta: '', status: 'complete' })).content,
    ).toBe('whole tail');
  });
});

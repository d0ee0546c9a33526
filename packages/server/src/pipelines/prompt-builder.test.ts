import { describe, expect, it } from 'vitest';
import { messageFixture, pipelineFixture } from './pipeline-fixture.test-support.js';
import { buildPrompt } from './prompt-builder.js';

const user = (id: number, content: string, name = 'Alice') =>
  messageFixture({ id, role: 'user', content, sender: { id: `user:${name}`, name } });
const reply = (
  id: number,
  replyTo: number,
  content: string,
  status: 'complete' | 'error' | 'cancelled' = 'complete',
) => messageFixture({ id, role: 'assistant', content, reply_to: replyTo, status });

describe('buildPrompt', () => {
  const history = [
    user(1, 'one'),
    reply(2, 1, 'r-one'),
    user(3, 'two'),
    reply(4, 3, 'r-two'),
    user(5, 'three'),
    reply(6, 5, 'r-three'),
  ];

  it('sends the system prompt, exactly the last N turns and the message', () => {
    const pipeline = pipelineFixture({ system_prompt: 'Be brief.', memory: { turns: 2 } });
    const prompt = buildPrompt({
      pipeline,
      sessionType: 'person',
      history,
      message: user(7, 'now'),
    });
    expect(prompt).toEqual({
      system: 'Be brief.',
      messages: [
        { role: 'user', text: 'two' },
        { role: 'assistant', text: 'r-two' },
        { role: 'user', text: 'three' },
        { role: 'assistant', text: 'r-three' },
        { role: 'user', text: 'now' },
      ],
    });
  });

  it('remembers nothing with zero turns', () => {
    const pipeline = pipelineFixture({ memory: { turns: 0 } });
    const prompt = buildPrompt({
      pipeline,
      sessionType: 'person',
      history,
      message: user(7, 'now'),
    });
    expect(prompt.messages).toEqual([{ role: 'user', text: 'now' }]);
  });

  it('pairs replies through reply_to when queued messages came in between', () => {
    // u1, u2 queued, r1 created after u2; answering u2 must still see r1 after u1.
    const queued = [
      user(1, 'first'),
      user(2, 'second'),
      reply(3, 1, 'answer to first'),
      user(4, 'third'),
    ];
    const prompt = buildPrompt({
      pipeline: pipelineFixture({ memory: { turns: 5 } }),
      sessionType: 'person',
      history: queued,
      message: queued[1] ?? user(2, 'second'),
    });
    expect(prompt.messages).toEqual([
      { role: 'user', text: 'first' },
      { role: 'assistant', text: 'answer to first' },
      { role: 'user', text: 'second' },
    ]);
  });

  it('leaves out failed replies and names senders in group conversations', () => {
    const group = [
      user(1, 'hi', 'Alice'),
      reply(2, 1, 'partial', 'error'),
      user(3, 'hello', 'Bob'),
      reply(4, 3, 'cut', 'cancelled'),
    ];
    const prompt = buildPrompt({
      pipeline: pipelineFixture({ memory: { turns: 10 } }),
      sessionType: 'group',
      history: group,
      message: user(5, 'and now?', 'Carol'),
    });
    expect(prompt.messages).toEqual([
      { role: 'user', text: 'Alice: hi' },
      { role: 'user', text: 'Bob: hello' },
      { role: 'assistant', text: 'cut' },
      { role: 'user', text: 'Carol: and now?' },
    ]);
  });
});

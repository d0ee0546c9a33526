import { describe, expect, it } from 'vitest';
import { pipelineFixture } from './pipeline-fixture.test-support.js';
import { shouldReplyInGroup } from './group-trigger.js';

const plain = (text: string) => [{ type: 'Plain' as const, text }];

describe('shouldReplyInGroup', () => {
  const pipeline = pipelineFixture({
    uuid: 'p-1',
    group_triggers: { mention: true, prefixes: ['/ask', 'bot,'], probability: 0 },
  });

  it('replies to a mention of the pipeline or the WebSocket bot', () => {
    expect(
      shouldReplyInGroup({ pipeline, chain: [{ type: 'At', target: 'p-1' }, ...plain(' hi')] }),
    ).toBe(true);
    expect(
      shouldReplyInGroup({ pipeline, chain: [{ type: 'At', target: 'websocket-proxy-bot' }] }),
    ).toBe(true);
    expect(shouldReplyInGroup({ pipeline, chain: [{ type: 'At', target: 'someone-else' }] })).toBe(
      false,
    );
  });

  it('replies to a configured prefix and ignores plain chatter', () => {
    expect(shouldReplyInGroup({ pipeline, chain: plain('  /ask what time is it') })).toBe(true);
    expect(shouldReplyInGroup({ pipeline, chain: plain('bot, hello') })).toBe(true);
    expect(shouldReplyInGroup({ pipeline, chain: plain('just chatting /ask') })).toBe(false);
  });

  it('honours the mention switch and the probability', () => {
    const quiet = pipelineFixture({
      uuid: 'p-1',
      group_triggers: { mention: false, prefixes: [], probability: 0.3 },
    });
    expect(
      shouldReplyInGroup({
        pipeline: quiet,
        chain: [{ type: 'At', target: 'p-1' }],
        random: () => 0.5,
      }),
    ).toBe(false);
    expect(shouldReplyInGroup({ pipeline: quiet, chain: plain('x'), random: () => 0.29 })).toBe(
      true,
    );
    expect(shouldReplyInGroup({ pipeline: quiet, chain: plain('x'), random: () => 0.3 })).toBe(
      false,
    );
  });
});

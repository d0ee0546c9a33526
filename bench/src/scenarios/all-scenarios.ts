import type { ScenarioName } from '../cli-options.js';
import { capacityScenario } from './capacity.js';
import { fanoutScenario } from './fanout.js';
import { messagesScenario } from './messages.js';
import { reconnectStormScenario } from './reconnect-storm.js';
import type { Scenario } from './scenario.js';
import { burstStreamingScenario, streamingScenario } from './streaming.js';
import { wireBytesScenario } from './wire-bytes.js';

/** Every scenario by name. */
export const SCENARIOS: Record<ScenarioName, Scenario> = {
  streaming: streamingScenario,
  'streaming-burst': burstStreamingScenario,
  messages: messagesScenario,
  fanout: fanoutScenario,
  capacity: capacityScenario,
  'wire-bytes': wireBytesScenario,
  'reconnect-storm': reconnectStormScenario,
};

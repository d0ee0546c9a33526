import type { Redis } from 'ioredis';

/**
 * The Lua scripts of the cluster's reply queues. Each runs atomically in Redis: that is what lets
 * any node add a job while another holds the conversation's lease, without a job ever being left
 * with nobody to run it.
 *
 * Keys of one conversation (under the configured prefix, `generation:<id>:`):
 * - `lease`: the token of the node process generating the conversation's replies, with an expiry
 *   its holder renews;
 * - `jobs`: a list of the jobs waiting, oldest first;
 * - `reserved`: a sorted set of slots taken by messages still being stored, scored by the time
 *   they lapse (a node that dies between taking a slot and filling it gives it back this way);
 * - `running`: present while the lease holder runs a job;
 * - `identity`: the conversation's identity, so a node taking it over can open it.
 * And one for the whole cluster, `generation-leases`: a sorted set of conversation ids scored by
 * the time their lease lapses, which every node scans to take over the conversations of a dead one.
 * Times are Redis's own clock (`TIME`), so the nodes' clocks do not matter.
 */

const NOW = `
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * Reserve: KEYS jobs, reserved, running; ARGV slot id, capacity (waiting + running), hold ms.
 * Returns the slots occupied before this one (0: nothing runs, waits or is reserved), or -1 when
 * the queue is full.
 */
const RESERVE_SCRIPT = `${NOW}
redis.call('zremrangebyscore', KEYS[2], '-inf', now)
local occupied = redis.call('llen', KEYS[1]) + redis.call('zcard', KEYS[2]) + redis.call('exists', KEYS[3])
if occupied >= tonumber(ARGV[2]) then return -1 end
redis.call('zadd', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('pexpire', KEYS[2], ARGV[3])
return occupied
`;

/**
 * Add: KEYS jobs, reserved, lease, leases, identity; ARGV slot id, job, token, lease ms,
 * conversation id, identity, key ttl ms. Fills the slot and takes the lease when nobody holds it.
 * Returns 1 when the caller now holds the lease (and must run the queue), else 0.
 */
const ADD_SCRIPT = `${NOW}
redis.call('zrem', KEYS[2], ARGV[1])
redis.call('rpush', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[7])
redis.call('set', KEYS[5], ARGV[6], 'PX', ARGV[7])
if redis.call('set', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4]) then
  redis.call('zadd', KEYS[4], now + tonumber(ARGV[4]), ARGV[5])
  return 1
end
return 0
`;

/**
 * Take next: KEYS lease, jobs, running, leases; ARGV token, lease ms, conversation id, key ttl ms.
 * Ends the previous job and hands out the next. Returns `{1, job}`; `{2}` when none waits (the
 * lease is given up in the same step, so a job added after it finds no holder and takes it);
 * `{0}` when the caller no longer holds the lease.
 */
const TAKE_NEXT_SCRIPT = `${NOW}
if redis.call('get', KEYS[1]) ~= ARGV[1] then return {0} end
redis.call('del', KEYS[3])
local job = redis.call('lpop', KEYS[2])
if job then
  redis.call('set', KEYS[3], '1', 'PX', ARGV[4])
  redis.call('pexpire', KEYS[1], ARGV[2])
  redis.call('zadd', KEYS[4], now + tonumber(ARGV[2]), ARGV[3])
  return {1, job}
end
redis.call('del', KEYS[1])
redis.call('zrem', KEYS[4], ARGV[3])
return {2}
`;

/**
 * Renew: KEYS lease, leases; ARGV token, lease ms, conversation id. Returns 1 when renewed, 2
 * when the lease was missing and is the caller's again (Redis lost its data), 0 when another
 * process holds it now.
 */
const RENEW_SCRIPT = `${NOW}
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  redis.call('zadd', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
  return 1
end
if holder then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('zadd', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
return 2
`;

/**
 * Release: KEYS lease, running, jobs, leases; ARGV token, conversation id. Gives the lease up
 * (shutdown); jobs still waiting are left for another node, which may take them at once.
 * Returns 1 when the caller held the lease.
 */
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('del', KEYS[1])
redis.call('del', KEYS[2])
if redis.call('llen', KEYS[3]) > 0 then
  redis.call('zadd', KEYS[4], 0, ARGV[2])
else
  redis.call('zrem', KEYS[4], ARGV[2])
end
return 1
`;

/** Lapsed: KEYS leases; ARGV how many. The conversations whose lease lapsed, oldest first. */
const LAPSED_SCRIPT = `${NOW}
return redis.call('zrangebyscore', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
`;

/**
 * Claim: KEYS lease, running, jobs, leases, identity; ARGV token, lease ms, conversation id.
 * Takes over a conversation whose lease lapsed while it had a job running or waiting. Returns
 * `{1, identity}` when the caller holds the lease now, `{0}` otherwise (renewed meanwhile,
 * claimed by another node, or nothing left to do).
 */
const CLAIM_SCRIPT = `${NOW}
local ttl = redis.call('pttl', KEYS[1])
if ttl > 0 then
  redis.call('zadd', KEYS[4], now + ttl, ARGV[3])
  return {0}
end
local identity = redis.call('get', KEYS[5])
local work = redis.call('exists', KEYS[2]) + redis.call('llen', KEYS[3])
if work == 0 or not identity then
  redis.call('zrem', KEYS[4], ARGV[3])
  return {0}
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('zadd', KEYS[4], now + tonumber(ARGV[2]), ARGV[3])
return {1, identity}
`;

export type ScriptReply = [number, string?];

/** The scripts as commands of a connection, registered by {@link defineGenerationScripts}. */
export interface ScriptedGenerationRedis {
  botwireQueueReserve(...args: (string | number)[]): Promise<number>;
  botwireQueueAdd(...args: (string | number)[]): Promise<number>;
  botwireQueueTakeNext(...args: (string | number)[]): Promise<ScriptReply>;
  botwireQueueRenew(...args: (string | number)[]): Promise<number>;
  botwireQueueRelease(...args: (string | number)[]): Promise<number>;
  botwireQueueLapsed(...args: (string | number)[]): Promise<string[]>;
  botwireQueueClaim(...args: (string | number)[]): Promise<ScriptReply>;
}

/** Registers the scripts on a connection (EVALSHA, loaded again by ioredis after a restart). */
export function defineGenerationScripts(redis: Redis): void {
  const scripts: [string, number, string][] = [
    ['botwireQueueReserve', 3, RESERVE_SCRIPT],
    ['botwireQueueAdd', 5, ADD_SCRIPT],
    ['botwireQueueTakeNext', 4, TAKE_NEXT_SCRIPT],
    ['botwireQueueRenew', 2, RENEW_SCRIPT],
    ['botwireQueueRelease', 4, RELEASE_SCRIPT],
    ['botwireQueueLapsed', 1, LAPSED_SCRIPT],
    ['botwireQueueClaim', 5, CLAIM_SCRIPT],
  ];
  for (const [name, numberOfKeys, lua] of scripts) {
    redis.defineCommand(name, { numberOfKeys, lua });
  }
}

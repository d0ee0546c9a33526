/**
 * The Lua scripts of the Redis conversation channel. Each runs atomically in Redis, which is what
 * makes a conversation's seqs unique and strictly increasing across every node.
 *
 * Keys of one conversation (under the configured prefix):
 * - `conversation:<id>:seq`: the last seq handed out (a string holding an integer);
 * - `conversation:<id>:events`: a Stream of the last `replayWindow` events, entry id `<seq>-0`,
 *   one field `f` holding the event's frame as JSON without its seq, and no more of them than
 *   fit in `replayBudgetBytes` (counted as the bytes of those JSON texts);
 * - `conversation:<id>:bytes`: the bytes the stream's entries hold, kept by the append script.
 * All get an expiry refreshed on every append, so an idle conversation leaves Redis by itself.
 */

/**
 * Append: KEYS seq, events, bytes; ARGV frame JSON, window, ttl ms, live channel, budget bytes.
 * Returns the new seq, or nil when the seq key is missing (first use, or Redis lost its data):
 * the caller then initialises it from the database with {@link INITIALISE_SCRIPT} and appends
 * again.
 *
 * The oldest entries go while the stream holds more than `window` entries or more than `budget`
 * bytes, as on a single node (an event larger than the whole budget is not kept at all, only
 * published). Usually that is one entry per append. The byte count starts again whenever the
 * stream is new; a count from before this script (a stream written by an older node) starts at
 * zero and is never negative, so such a stream is bounded by its count until its old entries
 * have gone.
 */
export const APPEND_SCRIPT = `
if redis.call('exists', KEYS[1]) == 0 then return false end
local seq = redis.call('incr', KEYS[1])
if redis.call('exists', KEYS[2]) == 0 then redis.call('del', KEYS[3]) end
redis.call('xadd', KEYS[2], seq .. '-0', 'f', ARGV[1])
local bytes = redis.call('incrby', KEYS[3], string.len(ARGV[1]))
local count = redis.call('xlen', KEYS[2])
local window = tonumber(ARGV[2])
local budget = tonumber(ARGV[5])
while count > 0 and (count > window or bytes > budget) do
  local oldest = redis.call('xrange', KEYS[2], '-', '+', 'COUNT', 1)[1]
  if not oldest then break end
  bytes = bytes - string.len(oldest[2][2])
  redis.call('xdel', KEYS[2], oldest[1])
  count = count - 1
end
if bytes < 0 then bytes = 0 end
redis.call('set', KEYS[3], bytes, 'PX', ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[3])
redis.call('pexpire', KEYS[2], ARGV[3])
redis.call('publish', ARGV[4], seq .. ':' .. ARGV[1])
return seq
`;

/**
 * Initialise: KEYS seq, events, bytes; ARGV floor, ttl ms. Sets the seq key when it is missing (SET NX
 * semantics) to the floor (the database's reservation) or the stream's newest seq, whichever is
 * higher, and refreshes the expiries. Returns the last seq.
 */
export const INITIALISE_SCRIPT = `
if redis.call('exists', KEYS[1]) == 0 then
  local floor = tonumber(ARGV[1])
  local newest = redis.call('xrevrange', KEYS[2], '+', '-', 'COUNT', 1)
  if newest[1] then
    local kept = tonumber(string.match(newest[1][1], '^(%d+)'))
    if kept > floor then floor = kept end
  end
  redis.call('set', KEYS[1], floor)
end
redis.call('pexpire', KEYS[1], ARGV[2])
if redis.call('exists', KEYS[2]) == 1 then redis.call('pexpire', KEYS[2], ARGV[2]) end
if redis.call('exists', KEYS[3]) == 1 then redis.call('pexpire', KEYS[3], ARGV[2]) end
return tonumber(redis.call('get', KEYS[1]))
`;

/**
 * Read after: KEYS seq, events; ARGV the first wanted seq. The last seq (nil when missing), the
 * oldest kept entry and the entries from the wanted seq on, read in one atomic step.
 */
export const READ_AFTER_SCRIPT = `
local last = redis.call('get', KEYS[1])
local oldest = redis.call('xrange', KEYS[2], '-', '+', 'COUNT', 1)
local entries = redis.call('xrange', KEYS[2], ARGV[1] .. '-0', '+')
-- false, not nil: a nil would end the reply's array there.
return { last or false, oldest, entries }
`;

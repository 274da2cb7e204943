-- Finish a task that succeeded and keeps no result (done.lua) and take the next pending task
-- (dequeue.lua) in one call: a worker that finished a task fetches its next one in the same round
-- trip. Each half writes exactly what its own script writes; a refusal of the first half (the
-- task is no longer active, or a key of the wrong type) does not stop the second.
--
-- KEYS[1..6]  the queue to take from: pending, paused, active, lease, limits, rate bucket
--             (dequeue.lua's KEYS)
-- KEYS[7..11] the finished task's: active, lease, task hash, daily processed, total processed
-- KEYS[12]    its unique lock, optional                                 (as done.lua's KEYS)
-- ARGV[1]     the finished task's id
-- ARGV[2]     daily counter expiry, unix seconds
-- ARGV[3..10] dequeue.lua's ARGV[1..8]
--
-- Returns  {done, taken, isolated, dropped, refused, limited, wait}:
--          done     {1, skipped keys...} as done.lua, or {0, "NOT FOUND" or "BADKEY ..."} when
--                   the task was not taken off active (nothing written for it);
--          taken, isolated, dropped as dequeue.lua returns them (empty when it refused);
--          refused  false, or dequeue.lua's error text ("BADKEY ...") when it refused;
--          limited, wait  as dequeue.lua's (0 when it refused).
-- Uses finish_done (lib_done.lua), take_pending (lib_dequeue.lua).
local done
local refused, skipped = finish_done(ARGV[1], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11],
    ARGV[2], KEYS[12])
if refused then
  done = {0, refused.err}
else
  done = {1, unpack(skipped)}
end
local next_ = take_pending(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[3],
    ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10]))
if next_.err then
  return {done, {}, {}, {}, next_.err, 0, 0}
end
return {done, next_[1], next_[2], next_[3], false, next_[4], next_[5]}

-- Set or clear fields of a queue's limits (jasynq only; wire-format §1.4), and wake idle servers
-- when the queue has tasks waiting: a raised limit may leave room at once.
--
-- KEYS[1]  limits hash     asynq:{Q}:limits
-- KEYS[2]  pending list    asynq:{Q}:pending
-- ARGV[1]  the wake-up channel (jasynq:pending)
-- ARGV[2], ARGV[3], ...  pairs of a field (e.g. "concurrency") and its value, or "" to clear it
--
-- Returns  the values the fields had before, in order (false for none).
--          Error "BADKEY ..." (lib_keys.lua) when the limits key is not a hash; nothing written.
local bad = check_types(KEYS[1], "hash")
if bad then
  return bad
end
local before = {}
for i = 2, #ARGV, 2 do
  before[#before + 1] = redis.call("HGET", KEYS[1], ARGV[i])
  if ARGV[i + 1] == "" then
    redis.call("HDEL", KEYS[1], ARGV[i])
  else
    redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
if redis.call("TYPE", KEYS[2]).ok == "list" and redis.call("LLEN", KEYS[2]) > 0 then
  redis.call("PUBLISH", ARGV[1], KEYS[2])
end
return before

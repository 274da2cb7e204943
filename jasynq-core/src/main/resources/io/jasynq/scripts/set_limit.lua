-- Set or clear one of a queue's limits (jasynq only; wire-format §1.4), and wake idle servers
-- when the queue has tasks waiting: a raised limit may leave room at once.
--
-- KEYS[1]  limits hash     asynq:{Q}:limits
-- KEYS[2]  pending list    asynq:{Q}:pending
-- ARGV[1]  the field, e.g. "concurrency"
-- ARGV[2]  the value, or "" to clear the field
-- ARGV[3]  the wake-up channel (jasynq:pending)
--
-- Returns  the value the field had before, or false if it had none.
--          Error "BADKEY ..." (lib_keys.lua) when the limits key is not a hash; nothing written.
local bad = check_types(KEYS[1], "hash")
if bad then
  return bad
end
local before = redis.call("HGET", KEYS[1], ARGV[1])
if ARGV[2] == "" then
  redis.call("HDEL", KEYS[1], ARGV[1])
else
  redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
end
if redis.call("TYPE", KEYS[2]).ok == "list" and redis.call("LLEN", KEYS[2]) > 0 then
  redis.call("PUBLISH", ARGV[3], KEYS[2])
end
return before

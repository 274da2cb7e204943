-- List active tasks whose lease ended at or before a cutoff, with their stored messages
-- (asynq-compat spec 3.17). Messages are returned undecoded, so one bad message cannot fail the
-- rest; IDs with no task hash are garbage (spec 9.7) and are removed from active and lease.
--
-- KEYS[1]  lease zset           asynq:{Q}:lease
-- KEYS[2]  active list          asynq:{Q}:active
-- ARGV[1]  cutoff, unix seconds
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  the most IDs to look at in one call
--
-- Returns  {id1, msg1, id2, msg2, ...}, oldest lease first; a msg is nil when the hash has no
--          "msg" field. Dangling IDs are left out.
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
local reply = {}
for _, id in ipairs(ids) do
  local task = ARGV[2] .. id
  if redis.call("EXISTS", task) == 0 then
    redis.call("ZREM", KEYS[1], id)
    redis.call("LREM", KEYS[2], 0, id)
  else
    reply[#reply + 1] = id
    reply[#reply + 1] = redis.call("HGET", task, "msg")
  end
end
return reply

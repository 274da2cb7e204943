-- Delete one batch of completed tasks whose retention has ended (wire-format §3.16).
--
-- KEYS[1]  completed zset       asynq:{Q}:completed
-- ARGV[1]  now, unix seconds: members scored at or below it have expired
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  batch size >= 1
--
-- Returns  the number of tasks deleted; the caller repeats until 0. Unique locks were released
--          when the tasks completed. Error "BADKEY ..." (lib_keys.lua) when completed holds
--          another type (nothing written). An expired ID's task key that is not a hash is left
--          as it is; the ID leaves completed all the same.
local bad = check_types(KEYS[1], "zset")
if bad then
  return bad
end
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local task = ARGV[2] .. id
  if type_of(task) == "hash" then
    redis.call("DEL", task)
  end
  redis.call("ZREM", KEYS[1], id)
end
return #ids

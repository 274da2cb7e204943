-- List a queue's registered groups with their sizes (asynq-compat spec 6.2 Groups).
--
-- KEYS[1]  group registry set   asynq:{Q}:groups
-- ARGV[1]  group-key prefix     asynq:{Q}:g:
--
-- Returns  {group, size, group, size, ...}; a registered group with an empty zset has size 0.
local reply = {}
for _, group in ipairs(redis.call("SMEMBERS", KEYS[1])) do
  reply[#reply + 1] = group
  reply[#reply + 1] = redis.call("ZCARD", ARGV[1] .. group)
end
return reply

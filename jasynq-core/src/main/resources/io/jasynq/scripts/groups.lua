-- List a queue's registered groups with their sizes (wire-format §6.2 Groups). Key types are
-- checked first, so a wrong-typed key never raises WRONGTYPE.
--
-- KEYS[1]  group registry set   asynq:{Q}:groups
-- ARGV[1]  group-key prefix     asynq:{Q}:g:
--
-- Returns  {registry type, group, size, type, group, size, type, ...}: the TYPE of KEYS[1], then
--          for each registered group (none unless KEYS[1] is a set) its name, its size and the
--          TYPE of its key. A registered group whose key is missing or not a zset has size 0.
local registry = redis.call("TYPE", KEYS[1])["ok"]
local reply = {registry}
if registry ~= "set" then
  return reply
end
for _, group in ipairs(redis.call("SMEMBERS", KEYS[1])) do
  local key = ARGV[1] .. group
  local t = redis.call("TYPE", key)["ok"]
  reply[#reply + 1] = group
  reply[#reply + 1] = t == "zset" and redis.call("ZCARD", key) or 0
  reply[#reply + 1] = t
end
return reply

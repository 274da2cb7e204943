-- List the live members of a heartbeat registry (asynq:servers, asynq:workers,
-- asynq:schedulers) and prune the expired ones (asynq-compat spec 6.2 Servers, SchedulerEntries).
-- A registry of the wrong type is reported and left alone, never raises WRONGTYPE.
--
-- KEYS[1]  the registry zset, scored by the unix second each entry expires
-- ARGV[1]  now, unix seconds
--
-- Returns  {registry type, member, ...}: the TYPE of KEYS[1], then the members scored at or after
--          now (none unless it is a zset); members scored before now are removed.
local t = redis.call("TYPE", KEYS[1])["ok"]
local reply = {t}
if t ~= "zset" then
  return reply
end
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", "(" .. ARGV[1])
for _, member in ipairs(redis.call("ZRANGEBYSCORE", KEYS[1], ARGV[1], "+inf")) do
  reply[#reply + 1] = member
end
return reply

-- Decide whether a group is ready to be aggregated and, if so, move its oldest tasks into a new
-- aggregation set (wire-format §3.23, with the fix of 9.7: the group name leaves the registry
-- when the set takes the group's last tasks). A group found empty stays registered, as in Asynq:
-- the client registers a group when it schedules a grouped task for later (wire-format §9.2), before the
-- group has members, and a Go forwarder that moves the task in later does not register it again.
--
-- KEYS[1]  group zset           asynq:{Q}:g:<group>
-- KEYS[2]  new aggregation set  asynq:{Q}:g:<group>:<setID>
-- KEYS[3]  aggregation sets     asynq:{Q}:aggregation_sets
-- KEYS[4]  group registry set   asynq:{Q}:groups
-- ARGV[1]  max size: a group this big is aggregated at once; 0 = no limit
-- ARGV[2]  max delay, whole seconds: a group whose oldest task waited this long is aggregated;
--          0 = no limit
-- ARGV[3]  grace period, whole seconds: a group whose newest task waited this long is aggregated
-- ARGV[4]  the set's deadline, unix seconds (now + 2 min; its aggregation_sets score)
-- ARGV[5]  now, unix seconds
-- ARGV[6]  group name
--
-- Returns  1 the set was created (with up to max size oldest members, scores kept); 0 not ready,
--          or the group is empty; error "INTERNAL ..." when the set key already exists; error
--          "BADKEY ..." (lib_keys.lua) when the group, aggregation_sets or the registry holds
--          another type. Every check runs before the first write.
-- The members stay in state "aggregating": the set is part of their group until it is deleted or
-- reclaimed.
local max_size = tonumber(ARGV[1])
local max_delay = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local now = tonumber(ARGV[5])
local bad = check_types(KEYS[1], "zset", KEYS[3], "zset", KEYS[4], "set")
if bad then
  return bad
end

local size = redis.call("ZCARD", KEYS[1])
if size == 0 then
  return 0
end
local ready = max_size > 0 and size >= max_size
if not ready and max_delay > 0 then
  local oldest = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
  ready = tonumber(oldest[2]) <= now - max_delay
end
if not ready then
  local newest = redis.call("ZRANGE", KEYS[1], -1, -1, "WITHSCORES")
  ready = tonumber(newest[2]) <= now - grace
end
if not ready then
  return 0
end
if redis.call("EXISTS", KEYS[2]) == 1 then
  return redis.error_reply("INTERNAL aggregation set " .. KEYS[2] .. " already exists")
end

local take = size
if max_size > 0 and max_size < size then
  take = max_size
end
local members = redis.call("ZRANGE", KEYS[1], 0, take - 1, "WITHSCORES")
for i = 1, #members, 2 do
  redis.call("ZADD", KEYS[2], members[i + 1], members[i])
end
redis.call("ZREMRANGEBYRANK", KEYS[1], 0, take - 1)
redis.call("ZADD", KEYS[3], ARGV[4], KEYS[2])
if take == size then
  redis.call("SREM", KEYS[4], ARGV[6])
end
return 1

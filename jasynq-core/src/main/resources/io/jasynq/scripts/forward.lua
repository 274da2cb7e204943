-- Move due tasks from the scheduled or retry set to pending, or into their group
-- (wire-format §3.15, with the fixes of 9.3 and 9.7: a group is registered when a task
-- enters it, and an ID with no task hash is dropped instead of forwarded).
--
-- KEYS[1]  source zset          asynq:{Q}:scheduled or asynq:{Q}:retry
-- KEYS[2]  pending list         asynq:{Q}:pending
-- KEYS[3]  group registry set   asynq:{Q}:groups
-- ARGV[1]  now, unix seconds: members scored at or below it are due; also the group score
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  now, unix nanoseconds (pending_since)
-- ARGV[4]  group-key prefix     asynq:{Q}:g:
-- ARGV[5]  the most IDs to handle in one call
-- ARGV[6]  the state the source holds: "scheduled" or "retry"
-- ARGV[7]  queue prefix         asynq:{Q}:   (the set a task's state names, e.g. asynq:{Q}:archived)
-- ARGV[8]  how many due members to pass over first (those left in place by earlier calls)
--
-- Returns  {moved, dropped, isolated, kept}: IDs forwarded; {id1, ...} dangling IDs removed; {id1, reason1,
--          ...} for IDs removed from the source without being forwarded; {id1, reason1, ...} for
--          IDs left in the source because their group's key has the wrong type. The caller repeats,
--          passing over the kept ones, until nothing was handled.
--          Error "BADKEY ..." (lib_keys.lua) when the source, pending or the group
--          registry has the wrong type; then nothing is written.
--
-- Each due ID is checked before anything is written for it, and no check can fail after a write:
--   * no task key: removed from the source;
--   * a task key that is not a hash: removed from the source and reported; the key is kept;
--   * a hash whose state names another state whose set (or list) also holds the ID (a task in two
--     states at once): removed from the source and reported; the task stays in that state. A
--     hash whose state names a set that does not hold it is only mislabelled and is forwarded;
--   * a group whose key has the wrong type: left in the source and reported;
--   * otherwise forwarded.
--
-- When the push makes the pending list non-empty, the pending key is published on channel
-- "jasynq:pending" so idle jasynq servers wake at once instead of at their next poll. Go Asynq
-- ignores the channel; Go producers do not publish, and servers still poll for their tasks.
-- Whether the set or list that a task's state names holds the ID as well.
local function held_elsewhere(task, state, id)
  if state == "pending" or state == "active" then
    local key = ARGV[7] .. state
    return type_of(key) == "list" and redis.call("LPOS", key, id) ~= false
  end
  local key
  if state == "aggregating" then
    local group = redis.call("HGET", task, "group")
    if not group or group == "" then
      return false
    end
    key = ARGV[4] .. group
  elseif state == "scheduled" or state == "retry" or state == "archived"
      or state == "completed" then
    key = ARGV[7] .. state
  else
    return false
  end
  return type_of(key) == "zset" and redis.call("ZSCORE", key, id) ~= false
end

local bad = check_types(KEYS[1], "zset", KEYS[2], "list", KEYS[3], "set")
if bad then
  return bad
end

local source_state = ARGV[6]
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", tonumber(ARGV[8]),
    tonumber(ARGV[5]))
local moved, dropped, isolated, kept = 0, {}, {}, {}
for _, id in ipairs(ids) do
  local task = ARGV[2] .. id
  local t = type_of(task)
  local state = t == "hash" and redis.call("HGET", task, "state") or false
  local group = t == "hash" and redis.call("HGET", task, "group") or false
  local group_type = group and group ~= "" and type_of(ARGV[4] .. group)
  local group_problem = group_type and group_type ~= "none" and group_type ~= "zset"
      and ARGV[4] .. group .. " is a " .. group_type .. ", not a zset"
  if t == "none" then
    redis.call("ZREM", KEYS[1], id)
    dropped[#dropped + 1] = id
  elseif t ~= "hash" then
    redis.call("ZREM", KEYS[1], id)
    isolated[#isolated + 1] = id
    isolated[#isolated + 1] = task .. " is a " .. t .. ", not a hash; removed from "
        .. source_state .. ", key kept"
  elseif state and state ~= source_state and held_elsewhere(task, state, id) then
    redis.call("ZREM", KEYS[1], id)
    isolated[#isolated + 1] = id
    isolated[#isolated + 1] = task .. " is in state " .. state .. " and held there too;"
        .. " removed from " .. source_state .. ", left " .. state
  elseif group_problem then
    kept[#kept + 1] = id
    kept[#kept + 1] = "its group " .. group_problem .. "; left in " .. source_state
  elseif group and group ~= "" then
    redis.call("ZREM", KEYS[1], id)
    redis.call("ZADD", ARGV[4] .. group, ARGV[1], id)
    redis.call("SADD", KEYS[3], group)
    redis.call("HSET", task, "state", "aggregating")
    moved = moved + 1
  else
    redis.call("ZREM", KEYS[1], id)
    if redis.call("LPUSH", KEYS[2], id) == 1 then
      redis.call("PUBLISH", "jasynq:pending", KEYS[2])
    end
    redis.call("HSET", task, "state", "pending", "pending_since", ARGV[3])
    moved = moved + 1
  end
end
return {moved, dropped, isolated, kept}

-- Delete, run or archive one task, or every task of a state or group, for the Inspector
-- (wire-format §3.24, 6.3), with the fixes of wire-format §9: every check runs before the first
-- write; a task made pending gets pending_since (9.9); deleting releases the unique lock the task
-- holds, pending and aggregating tasks included (9.5); a group whose zset empties is unregistered
-- (9.7); the archive is trimmed by trim_archive (lib_trim_archive.lua), deleting the trimmed
-- tasks' hashes (9.8); IDs with no task hash are dropped from their container and not counted.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  archived zset        asynq:{Q}:archived
-- KEYS[3]  group registry set   asynq:{Q}:groups
-- KEYS[4]  mode "one": the task hash asynq:{Q}:t:<id>;
--          mode "all": the source  asynq:{Q}:<state> or asynq:{Q}:g:<group>
-- ARGV[1]  action: "delete", "run" or "archive"
-- ARGV[2]  mode: "one" or "all"
-- ARGV[3]  mode "one": the task id; mode "all": the source state name (pending, scheduled, retry,
--          archived, completed, aggregating)
-- ARGV[4]  mode "all" with source aggregating: the group name; else ""
-- ARGV[5]  queue prefix         asynq:{Q}:
-- ARGV[6]  now, unix seconds (archived score)
-- ARGV[7]  now, unix nanoseconds (pending_since)
-- ARGV[8]  archive age cutoff, unix seconds: entries scored at or below it are trimmed
-- ARGV[9]  archive max size: the newest this many entries stay
--
-- Returns  mode "all": how many tasks were handled.
--          mode "one": 1 done; 0 no such task; -1 the task is active; -2 run of a pending task;
--          -3 archive of an archived task; -4 the task is not in the container its state names
--          (nothing written in every case but 1).
--          Error "BADKEY ..." (lib_keys.lua), nothing written, when pending, archived, the
--          registry, the task key (mode "one") or the source container holds another type. In
--          mode "all" an ID whose task key is not a hash is dropped from the source and not
--          counted; that key is left as it is. A lock that is not a string is left as it is.
local action, mode = ARGV[1], ARGV[2]
local P = ARGV[5]
local containers = {pending = "list", scheduled = "zset", retry = "zset", archived = "zset",
  completed = "zset", aggregating = "zset"}
local bad = check_types(KEYS[1], "list", KEYS[2], "zset", KEYS[3], "set")
if bad then
  return bad
end
local pending_was_empty = redis.call("LLEN", KEYS[1]) == 0

local function apply(id, task)
  if action == "delete" then
    local lock = redis.call("HGET", task, "unique_key")
    if lock and lock ~= "" then
      release_lock(lock, id, {})
    end
    redis.call("DEL", task)
  elseif action == "run" then
    redis.call("LPUSH", KEYS[1], id)
    redis.call("HSET", task, "state", "pending", "pending_since", ARGV[7])
  else
    redis.call("ZADD", KEYS[2], ARGV[6], id)
    redis.call("HSET", task, "state", "archived")
  end
end

local handled = 0
if mode == "one" then
  local id, task = ARGV[3], KEYS[4]
  bad = check_types(task, "hash")
  if bad then
    return bad
  end
  local state = redis.call("HGET", task, "state")
  if not state then
    return 0
  elseif state == "active" then
    return -1
  elseif action == "run" and state == "pending" then
    return -2
  elseif action == "archive" and state == "archived" then
    return -3
  end
  local kind = containers[state]
  local source = P .. state
  local group
  if state == "aggregating" then
    group = redis.call("HGET", task, "group") or ""
    source = P .. "g:" .. group
  end
  bad = kind and check_types(source, kind)
  if bad then
    return bad
  end
  if not kind or (kind == "list" and not redis.call("LPOS", source, id))
      or (kind == "zset" and not redis.call("ZSCORE", source, id)) then
    return -4
  end
  if kind == "list" then
    redis.call("LREM", source, 0, id)
  else
    redis.call("ZREM", source, id)
  end
  if group and redis.call("ZCARD", source) == 0 then
    redis.call("SREM", KEYS[3], group)
  end
  apply(id, task)
  handled = 1
else
  local source = KEYS[4]
  bad = check_types(source, containers[ARGV[3]] or "zset")
  if bad then
    return bad
  end
  local ids
  if containers[ARGV[3]] == "list" then
    ids = redis.call("LRANGE", source, 0, -1)
  else
    ids = redis.call("ZRANGE", source, 0, -1)
  end
  -- Lowest score first: LPUSH then leaves the earliest due task nearest the tail, next to run.
  for _, id in ipairs(ids) do
    local task = P .. "t:" .. id
    if type_of(task) == "hash" then
      apply(id, task)
      handled = handled + 1
    end
  end
  redis.call("DEL", source)
  if ARGV[4] ~= "" then
    redis.call("SREM", KEYS[3], ARGV[4])
  end
end

if action == "archive" then
  trim_archive(KEYS[2], ARGV[8], ARGV[9], P .. "t:")
elseif action == "run" and pending_was_empty and handled > 0 then
  redis.call("PUBLISH", "jasynq:pending", KEYS[1])
end
return handled

-- Make up to N of the oldest pending tasks of one queue active under a lease (asynq-compat spec
-- 3.9, with the fixes of 9.7: a paused queue yields nothing, and a dangling ID never reaches
-- active). Taking several at once lets one round trip feed several idle workers; each task moves
-- exactly as Asynq's one-task dequeue moves it.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  paused flag          asynq:{Q}:paused
-- KEYS[3]  active list          asynq:{Q}:active
-- KEYS[4]  lease zset           asynq:{Q}:lease
-- ARGV[1]  lease expiry, unix seconds (the lease score)
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  the most pending IDs to look at in one call (bounds the work spent on bad IDs)
-- ARGV[4]  the most tasks to take
-- ARGV[5]  queue prefix         asynq:{Q}:   (the set a task's state names, e.g. asynq:{Q}:retry)
-- ARGV[6]  group-key prefix     asynq:{Q}:g:
-- ARGV[7]  now, unix seconds (the archived score of an ID that is not UTF-8)
--
-- Returns  {taken, isolated, dropped}:
--          taken    {id1, msg1, since1, id2, msg2, since2, ...}: those tasks are now active (a msg
--                   is false if its hash has no "msg" field; since is the pending_since the task
--                   had, unix nanoseconds, or false if it had none);
--          isolated {id1, reason1, ...}: IDs removed from pending and left where they are (below);
--          dropped  {id1, id2, ...}: dangling IDs (no task key) removed from pending.
--          All empty when the queue is paused or empty.
--          Error "BADKEY ..." (lib_keys.lua) when pending, active or lease has the
--          wrong type; then nothing is written.
--
-- Each ID at the tail of pending is checked before it moves, and no check can fail after a write:
--   * no task key: dropped from pending (no stub hash is ever created);
--   * a task key that is not a hash: removed from pending and reported; the key is kept (we never
--     destroy data we do not understand);
--   * a hash whose state names another state whose set also holds the ID (a task in two states at
--     once): removed from pending and reported, the task stays in that state. Every writer that
--     pushes an ID to pending (enqueue, requeue, forward, run, in Go Asynq and here) sets state
--     pending in the same script, so this only comes from a foreign or hand edit. A hash whose
--     state names a set that does not hold the ID is only mislabelled: pending is its one place,
--     and it is taken as usual;
--   * a hash whose ID is not valid UTF-8 (no protobuf message or Java String can name it, so no
--     server could finish it): archived where it is (into asynq:{Q}:archived scored now, state
--     archived, the hash kept as it is) and reported; if archived has the wrong type it is only
--     removed from pending and reported;
--   * otherwise it moves to active.
local function zset_holds(key, id)
  return redis.call("TYPE", key).ok == "zset" and redis.call("ZSCORE", key, id) ~= false
end

-- Whether the set that a task's state names holds the ID as well.
local function held_elsewhere(task, state, id)
  if state == "active" then
    return redis.call("LPOS", KEYS[3], id) ~= false
  elseif state == "aggregating" then
    local group = redis.call("HGET", task, "group")
    return group ~= false and group ~= "" and zset_holds(ARGV[6] .. group, id)
  elseif state == "scheduled" or state == "retry" or state == "archived"
      or state == "completed" then
    return zset_holds(ARGV[5] .. state, id)
  end
  return false
end

if redis.call("EXISTS", KEYS[2]) == 1 then
  return {{}, {}, {}}
end
local bad = check_types(KEYS[1], "list", KEYS[3], "list", KEYS[4], "zset")
if bad then
  return bad
end

local taken, isolated, dropped = {}, {}, {}
local wanted = tonumber(ARGV[4])
for _ = 1, tonumber(ARGV[3]) do
  if #taken >= 3 * wanted then
    break
  end
  local id = redis.call("LINDEX", KEYS[1], -1)
  if not id then
    break
  end
  local task = ARGV[2] .. id
  local t = redis.call("TYPE", task).ok
  local state = t == "hash" and redis.call("HGET", task, "state") or false
  if t == "none" then
    redis.call("RPOP", KEYS[1])
    dropped[#dropped + 1] = id
  elseif t ~= "hash" then
    redis.call("RPOP", KEYS[1])
    isolated[#isolated + 1] = id
    isolated[#isolated + 1] = task .. " is a " .. t .. ", not a hash; removed from pending, key kept"
  elseif not is_utf8(id) then
    redis.call("RPOP", KEYS[1])
    isolated[#isolated + 1] = id
    local archived = ARGV[5] .. "archived"
    if check_types(archived, "zset") then
      isolated[#isolated + 1] = "the task ID is not valid UTF-8; removed from pending, hash kept ("
          .. archived .. " is not a zset)"
    else
      redis.call("ZADD", archived, ARGV[7], id)
      redis.call("HSET", task, "state", "archived")
      isolated[#isolated + 1] = "the task ID is not valid UTF-8; archived as it is"
    end
  elseif state and state ~= "pending" and held_elsewhere(task, state, id) then
    redis.call("RPOP", KEYS[1])
    isolated[#isolated + 1] = id
    isolated[#isolated + 1] = task .. " is in state " .. state .. " and held there too;"
        .. " removed from pending, left " .. state
  else
    local since = redis.call("HGET", task, "pending_since")
    redis.call("LMOVE", KEYS[1], KEYS[3], "RIGHT", "LEFT")
    redis.call("HSET", task, "state", "active")
    redis.call("HDEL", task, "pending_since")
    redis.call("ZADD", KEYS[4], ARGV[1], id)
    taken[#taken + 1] = id
    taken[#taken + 1] = redis.call("HGET", task, "msg")
    taken[#taken + 1] = since
  end
end
return {taken, isolated, dropped}

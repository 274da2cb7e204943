-- Library prepended, after lib_keys.lua, to the scripts that take a running task off active
-- (done.lua, done_many.lua, mark_complete.lua, requeue.lua, retry.lua, archive.lua; see
-- Script.java): the check that the task is active, and its removal from active and its lease
-- (wire-format §3.10 to 3.14).
--
-- active  the active list        asynq:{Q}:active
-- lease   the lease zset         asynq:{Q}:lease
-- task    the task hash          asynq:{Q}:t:<id>

-- The reply that refuses to take id off active, or nil when it is active: error "BADKEY ..."
-- (lib_keys.lua) when active, lease, the task hash or one of the further pairs (key, wanted
-- type) holds another type, checked in that order; else error "NOT FOUND" when id is missing
-- from active or from lease, or has no task hash.
local function refuse_inactive(id, active, lease, task, ...)
  local bad = check_types(active, "list", lease, "zset", task, "hash", ...)
  if bad then
    return bad
  end
  if not redis.call("LPOS", active, id) or not redis.call("ZSCORE", lease, id)
      or redis.call("EXISTS", task) == 0 then
    return redis.error_reply("NOT FOUND")
  end
  return nil
end

-- Takes id off active and its lease.
local function leave_active(active, lease, id)
  redis.call("LREM", active, 0, id)
  redis.call("ZREM", lease, id)
end

-- Takes id off active and its lease, as leave_active, unless refuse_inactive (given the same
-- arguments) would refuse: then writes nothing and returns that reply. The same checks, cheaper
-- on the hot path: the reads that a wrong type would fail (ZSCORE, TYPE, LREM) stand in for the
-- type checks, which run only when one of them failed or further pairs are given, and LREM's
-- count stands in for LPOS. LREM is the first write and removes nothing when it fails or finds
-- nothing, so a refusal still writes nothing.
local function take_off_active(id, active, lease, task, ...)
  local score = redis.pcall("ZSCORE", lease, id)
  local t = type_of(task)
  if type(score) == "table" or (t ~= "hash" and t ~= "none") or select("#", ...) > 0 then
    local bad = check_types(active, "list", lease, "zset", task, "hash", ...)
    if bad then
      return bad
    end
    if type(score) == "table" then -- refused for another reason (an ACL): fail as ZSCORE fails
      redis.call("ZSCORE", lease, id)
    end
  end
  if not score or t == "none" then
    return redis.error_reply("NOT FOUND")
  end
  local removed = redis.pcall("LREM", active, 0, id)
  if type(removed) == "table" then
    return check_types(active, "list") or redis.call("LREM", active, 0, id)
  end
  if removed == 0 then
    return redis.error_reply("NOT FOUND")
  end
  redis.call("ZREM", lease, id)
  return nil
end

-- Files the task id in zset at score, with its hash's message and state replaced.
local function file_task(zset, score, id, task, msg, state)
  redis.call("ZADD", zset, score, id)
  redis.call("HSET", task, "msg", msg, "state", state)
end

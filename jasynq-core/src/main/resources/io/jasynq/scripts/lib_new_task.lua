-- Library prepended, after lib_keys.lua, to the scripts that write a new task (enqueue.lua,
-- schedule.lua, add_to_group.lua; see Script.java): the checks every new task passes before the
-- first write, and the write of its hash with its optional unique lock (wire-format §3.3,
-- 3.5, 3.7). lock is the unique lock's key, or nil for a task without one.

-- The reply that refuses a new task, or nil when it may be written: error "BADKEY ..." when the
-- lock holds another type than a string, -1 when the lock is held (a duplicate), 0 when the task
-- key exists (a task ID conflict). The caller checks its other keys' types first.
local function refuse_new_task(task, lock)
  local bad = lock and check_types(lock, "string")
  if bad then
    return bad
  end
  if lock and redis.call("EXISTS", lock) == 1 then
    return -1
  end
  if redis.call("EXISTS", task) == 1 then
    return 0
  end
  return nil
end

-- Writes the task hash with fields (a list of field, value, ...). With a lock, first sets the
-- lock to id for ttl seconds (whole seconds >= 1) and adds the field "unique_key" naming it.
local function write_new_task(task, fields, lock, id, ttl)
  if lock then
    redis.call("SET", lock, id, "EX", ttl)
    fields[#fields + 1] = "unique_key"
    fields[#fields + 1] = lock
  end
  redis.call("HSET", task, unpack(fields))
end

-- List active tasks whose lease ended at or before a cutoff, with their stored messages
-- (wire-format §3.17). Messages are returned undecoded, so one bad message cannot fail the
-- rest; IDs with no task hash are garbage (wire-format §9.7) and are removed from active and lease.
--
-- KEYS[1]  lease zset           asynq:{Q}:lease
-- KEYS[2]  active list          asynq:{Q}:active
-- ARGV[1]  cutoff, unix seconds
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  the most IDs to look at in one call
--
-- Returns  {listed, isolated}:
--          listed   {id1, msg1, id2, msg2, ...}, oldest lease first; a msg is false when the hash
--                   has no "msg" field. Dangling IDs are left out.
--          isolated {id1, reason1, ...}: IDs set aside, see below.
--          Error "BADKEY ..." (lib_keys.lua) when lease or active has the wrong type;
--          then nothing is written.
--
-- Each ID is checked before anything is written for it, and no check can fail after a write:
--   * no task key: removed from lease and active;
--   * a task key that is not a hash: removed from lease and active and reported; the key is kept;
--   * a hash whose ID is in lease but not in active (half active; no writer leaves that, so it is
--     a foreign or hand edit): if its state is active (or missing) the ID is put back in active and
--     listed, so the recoverer can retry it; otherwise the stale lease entry is removed and
--     reported, and the task stays in the state it names.
local bad = check_types(KEYS[1], "zset", KEYS[2], "list")
if bad then
  return bad
end

local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
local listed, isolated = {}, {}
for _, id in ipairs(ids) do
  local task = ARGV[2] .. id
  local t = redis.call("TYPE", task).ok
  if t == "none" then
    redis.call("ZREM", KEYS[1], id)
    redis.call("LREM", KEYS[2], 0, id)
  elseif t ~= "hash" then
    redis.call("ZREM", KEYS[1], id)
    redis.call("LREM", KEYS[2], 0, id)
    isolated[#isolated + 1] = id
    isolated[#isolated + 1] = task .. " is a " .. t .. ", not a hash;"
        .. " removed from lease and active, key kept"
  else
    local state = redis.call("HGET", task, "state")
    local in_active = redis.call("LPOS", KEYS[2], id) ~= false
    if not in_active and state and state ~= "active" then
      redis.call("ZREM", KEYS[1], id)
      isolated[#isolated + 1] = id
      isolated[#isolated + 1] = task .. " is in lease but not active, and in state " .. state
          .. "; removed from lease, left " .. state
    else
      if not in_active then
        redis.call("LPUSH", KEYS[2], id)
      end
      listed[#listed + 1] = id
      listed[#listed + 1] = redis.call("HGET", task, "msg")
    end
  end
end
return {listed, isolated}

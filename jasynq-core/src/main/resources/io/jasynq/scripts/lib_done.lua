-- Library prepended, after lib_keys.lua, lib_counters.lua and lib_active.lua, to the scripts that
-- finish a succeeded task that keeps no result (done.lua, done_dequeue.lua; see Script.java).

-- Finishes task id (wire-format §3.10): off active and its lease, hash deleted, processed counted
-- (daily counter expiring at expiry), the lock released if given and still naming id. Returns
-- the refusal of take_off_active (nothing written), or nil and the side keys left as they were.
local function finish_done(id, active, lease, task, processed_day, processed_total, expiry, lock)
  local refused = take_off_active(id, active, lease, task)
  if refused then
    return refused, nil
  end
  redis.call("DEL", task)
  local skipped = {}
  count_outcome(1, expiry, skipped, processed_day, processed_total)
  if lock then
    release_lock(lock, id, skipped)
  end
  return nil, skipped
end

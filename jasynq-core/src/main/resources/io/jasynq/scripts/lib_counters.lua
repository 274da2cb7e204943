-- Library prepended, after lib_keys.lua, to the scripts that count a task's outcome (see
-- Script.java): the processed and failed counters of wire-format §1.2 and 4.1, daily ones
-- expiring after 90 days and totals that start again at the largest int64, as in Asynq. A counter
-- Redis cannot increment is left as it is and named in skipped.

-- Adds n to a counter; with expiry (unix seconds), sets it when this call created the key. Redis
-- refuses INCRBY on a key that is not a string holding a 64-bit integer, or that would overflow,
-- and then writes nothing: that key is left as it is and named in skipped.
local function count(key, n, expiry, skipped)
  local r = redis.pcall("INCRBY", key, n)
  if type(r) == "table" then
    skipped[#skipped + 1] = key
  elseif expiry and r == n then
    redis.call("EXPIREAT", key, expiry)
  end
end

-- Adds n to total counters (processed, then optionally failed). As in Asynq, when processed holds
-- the largest int64 both start again at n; a key that is not a string is still left alone. The
-- common case is one INCRBY per counter: the checks run only when Redis refuses it.
local function count_totals(n, skipped, processed, failed)
  local MAX_INT64 = "9223372036854775807"
  local r = redis.pcall("INCRBY", processed, n)
  if type(r) ~= "table" then
    if failed then
      count(failed, n, nil, skipped)
    end
    return
  end
  -- Refused (nothing written): at the limit, not an integer, or not a string.
  if type_of(processed) == "string" and redis.call("GET", processed) == MAX_INT64 then
    for _, key in ipairs({processed, failed}) do
      local t = type_of(key)
      if t == "string" or t == "none" then
        redis.call("SET", key, n)
      else
        skipped[#skipped + 1] = key
      end
    end
  else
    skipped[#skipped + 1] = processed
    if failed then
      count(failed, n, nil, skipped)
    end
  end
end

-- Counts n tasks as processed, and as failed when the failed keys are given: the daily counters
-- first (each expiring at expiry if this call created it), then the totals.
local function count_outcome(n, expiry, skipped, processed_day, processed_total, failed_day,
                             failed_total)
  count(processed_day, n, expiry, skipped)
  if failed_day then
    count(failed_day, n, expiry, skipped)
  end
  count_totals(n, skipped, processed_total, failed_total)
end

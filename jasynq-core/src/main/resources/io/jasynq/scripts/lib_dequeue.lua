-- Library prepended, after lib_keys.lua, to the scripts that make pending tasks active
-- (dequeue.lua, done_dequeue.lua; see Script.java): take_pending, which dequeue.lua documents.

local function zset_holds(key, id)
  return redis.call("TYPE", key).ok == "zset" and redis.call("ZSCORE", key, id) ~= false
end

-- Whether the set that a task's state names holds the ID as well.
local function held_elsewhere(task, state, id, active, queue_prefix, group_prefix)
  if state == "active" then
    return redis.call("LPOS", active, id) ~= false
  elseif state == "aggregating" then
    local group = redis.call("HGET", task, "group")
    return group ~= false and group ~= "" and zset_holds(group_prefix .. group, id)
  elseif state == "scheduled" or state == "retry" or state == "archived"
      or state == "completed" then
    return zset_holds(queue_prefix .. state, id)
  end
  return false
end

-- A queue's limits (jasynq only; asynq:{Q}:limits, wire-format §1.4) hold for the whole fleet.
-- A field that is not a positive integer in decimal digits, or a limits key of another type, sets
-- no limit: a hand-written record must not stall the queue (the Inspector reports it).
local function positive(field)
  if type(field) ~= "string" or not string.match(field, "^%d+$") then
    return nil
  end
  local n = tonumber(field)
  if n < 1 then
    return nil
  end
  return n
end

-- The tokens of a queue's rate limit at now_ms: `rate` tasks per `per` ms, at most `burst` saved
-- up, and the time to stamp the bucket with when it is written back. The bucket hash
-- (asynq:{Q}:rate) holds the tokens left and when that was; a missing or unreadable bucket starts
-- full. The stamp never goes back: a server whose `now` is older than the bucket's (its clock runs
-- behind, or its call was overtaken) spends tokens without moving the stamp, or the next call
-- would make the same interval's tokens again.
local function rate_tokens(bucket, rate, per, burst, now_ms)
  local b = redis.pcall("HMGET", bucket, "tokens", "at_ms")
  if b.err and not string.find(b.err, "WRONGTYPE", 1, true) then
    redis.call("HMGET", bucket, "tokens", "at_ms") -- fails as it did (an ACL): nothing written yet
  end
  local tokens, stamp = burst, now_ms
  if not b.err then
    local left, at = tonumber(b[1]), tonumber(b[2])
    if left and at then
      local elapsed = now_ms - at
      if elapsed < 0 then
        elapsed = 0 -- the bucket is newer than this call: no tokens are made twice
        stamp = at
      end
      tokens = left + elapsed * rate / per
    end
  end
  if tokens > burst then
    tokens = burst
  end
  return tokens, stamp
end

-- Makes up to `wanted` of the oldest pending tasks active (see dequeue.lua for the arguments, the
-- reply and what happens to bad records). A good task costs LMOVE, HGET state, ZADD, HSET, HGET
-- and HDEL pending_since, HGET msg: the move comes first, and the checks that a bad record needs
-- follow it, undoing it (LPOP from active, where it was just pushed) when the record is bad. The
-- container types are checked only when a command on them fails; that can only be the first
-- write of the call, or a ZADD on a lease of the wrong type, whose move is undone before the
-- error is returned (or, if bad records were handled first, before they are reported: the next
-- call then returns the error).
local function take_pending(pending, paused, active, lease, limits, bucket, lease_score,
                            task_prefix, scan, wanted, queue_prefix, group_prefix, now, now_ms)
  local limited, tokens, stamp = 0, nil, nil
  -- One command for both keys: a queue neither paused nor limited costs what it did before limits.
  if redis.call("EXISTS", paused, limits) > 0 then
    if redis.call("EXISTS", paused) == 1 then
      return {{}, {}, {}, 0, 0}
    end
    local l = redis.pcall("HMGET", limits, "concurrency", "rate", "per_ms", "burst")
    if l.err and not string.find(l.err, "WRONGTYPE", 1, true) then
      -- Refused for another reason (an ACL without HMGET): fail as HMGET fails, nothing written
      -- yet, rather than run without the limits.
      return redis.call("HMGET", limits, "concurrency", "rate", "per_ms", "burst")
    end
    if not l.err then
      local concurrency = positive(l[1])
      if concurrency then
        local count = redis.pcall("LLEN", active)
        if type(count) == "table" then -- active is not a list: refused as the move would be
          return check_types(active, "list") or redis.call("LLEN", active)
        end
        local room = concurrency - count
        if room <= 0 then
          return {{}, {}, {}, 1, 0} -- at the limit
        end
        if room <= wanted then
          limited = -1 -- the limit bounds this call: limited if it takes all the room (below)
          wanted = room
        end
      end
      local rate, per = positive(l[2]), positive(l[3])
      if rate and per then
        tokens, stamp = rate_tokens(bucket, rate, per, positive(l[4]) or rate, now_ms)
        local whole = math.floor(tokens)
        if whole < 1 then -- nothing taken: the reply says when the next token comes
          return {{}, {}, {}, 0, math.ceil((1 - tokens) * per / rate)}
        end
        if whole < wanted then
          wanted = whole
        end
      end
    end
  end
  local taken, isolated, dropped = {}, {}, {}
  for _ = 1, scan do
    if #taken >= 3 * wanted then
      break
    end
    local id = redis.pcall("LMOVE", pending, active, "RIGHT", "LEFT")
    if type(id) == "table" then -- nothing was written: a key of the wrong type, or a refusal
      return check_types(pending, "list", active, "list", lease, "zset")
          or redis.call("LMOVE", pending, active, "RIGHT", "LEFT") -- fails as it did, with its line
    end
    if not id then
      break
    end
    local task = task_prefix .. id
    local state = redis.pcall("HGET", task, "state")
    local bad = type(state) == "table" or (not state and redis.call("EXISTS", task) == 0)
        or not is_utf8(id) or (state and state ~= "pending")
    if bad then
      redis.call("LPOP", active) -- back out of active: the ID is off pending, as RPOP would leave it
      local t = type_of(task)
      if type(state) == "table" and (t == "hash" or t == "none") then
        -- HGET was refused for another reason (an ACL): put the ID back, fail as HGET fails.
        redis.call("RPUSH", pending, id)
        redis.call("HGET", task, "state")
      end
      if t == "none" then
        dropped[#dropped + 1] = id
        bad = true
      elseif t ~= "hash" then
        isolated[#isolated + 1] = id
        isolated[#isolated + 1] = task .. " is a " .. t .. ", not a hash; removed from pending, key kept"
      elseif not is_utf8(id) then
        isolated[#isolated + 1] = id
        local archived = queue_prefix .. "archived"
        if check_types(archived, "zset") then
          isolated[#isolated + 1] = "the task ID is not valid UTF-8; removed from pending, hash kept ("
              .. archived .. " is not a zset)"
        else
          redis.call("ZADD", archived, now, id)
          redis.call("HSET", task, "state", "archived")
          isolated[#isolated + 1] = "the task ID is not valid UTF-8; archived as it is"
        end
      elseif held_elsewhere(task, state, id, active, queue_prefix, group_prefix) then
        isolated[#isolated + 1] = id
        isolated[#isolated + 1] = task .. " is in state " .. state .. " and held there too;"
            .. " removed from pending, left " .. state
      else
        -- Only mislabelled: pending is its one place. Taken after all.
        redis.call("LPUSH", active, id)
        bad = false
      end
    end
    if not bad then
      local leased = redis.pcall("ZADD", lease, lease_score, id)
      if type(leased) == "table" then -- lease is not a zset: undo the move, refuse
        redis.call("LPOP", active)
        redis.call("RPUSH", pending, id)
        if #taken > 0 or #isolated > 0 or #dropped > 0 then
          break
        end
        return check_types(lease, "zset") or redis.call("ZADD", lease, lease_score, id)
      end
      redis.call("HSET", task, "state", "active")
      local since = redis.call("HGET", task, "pending_since")
      if since then
        redis.call("HDEL", task, "pending_since")
      end
      taken[#taken + 1] = id
      taken[#taken + 1] = redis.call("HGET", task, "msg")
      taken[#taken + 1] = since
    end
  end
  if limited == -1 then
    limited = (#taken / 3 >= wanted) and 1 or 0 -- pending ran out first: not held back
  end
  if tokens then -- spend one token per task taken; a bucket of another type is left alone
    redis.pcall("HSET", bucket, "tokens", tostring(tokens - #taken / 3), "at_ms", stamp)
  end
  return {taken, isolated, dropped, limited, 0}
end

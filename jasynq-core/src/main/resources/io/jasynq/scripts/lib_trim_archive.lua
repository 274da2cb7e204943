-- Library prepended to the scripts that archive (see Script.java): files a task in the archive,
-- and trims an archive zset as wire-format §3.14 describes, with the fixes of 9.8: exactly
-- max-size newest entries stay, the trimmed tasks' hashes are deleted too, and IDs are handled in
-- bounded chunks, never unpacked in bulk. One call trims at most 100 chunks of 1000 IDs; a larger
-- backlog shrinks over later calls. A trimmed ID's task key that is not a hash is not ours to
-- delete: it is left alone. The caller checks that the archive is a zset (or absent) before its
-- first write.
--
-- archived     the archived zset      asynq:{Q}:archived
-- cutoff       unix seconds: entries scored at or below it are trimmed (now - 90 days)
-- max_size     the newest this many entries stay
-- task_prefix  asynq:{Q}:t:
local function delete_trimmed_task(key)
  if redis.call("TYPE", key)["ok"] == "hash" then
    redis.call("DEL", key)
  end
end

local function trim_archive(archived, cutoff, max_size, task_prefix)
  local CHUNK, MAX_CHUNKS, chunks = 1000, 100, 0
  while chunks < MAX_CHUNKS do
    local old = redis.call("ZRANGEBYSCORE", archived, "-inf", cutoff, "LIMIT", 0, CHUNK)
    if #old == 0 then
      break
    end
    for _, trimmed in ipairs(old) do
      delete_trimmed_task(task_prefix .. trimmed)
      redis.call("ZREM", archived, trimmed)
    end
    chunks = chunks + 1
  end
  while chunks < MAX_CHUNKS do
    local excess = redis.call("ZCARD", archived) - tonumber(max_size)
    if excess <= 0 then
      break
    end
    local n = math.min(excess, CHUNK)
    for _, trimmed in ipairs(redis.call("ZRANGE", archived, 0, n - 1)) do
      delete_trimmed_task(task_prefix .. trimmed)
    end
    redis.call("ZREMRANGEBYRANK", archived, 0, n - 1)
    chunks = chunks + 1
  end
end

-- Files the task id in the archived zset at now (unix seconds), its hash holding msg and the
-- state "archived"; malformed_msg, when given (the original message that did not decode), is kept
-- in the hash field "malformed_msg".
local function archive_task(archived, now, id, task, msg, malformed_msg)
  redis.call("ZADD", archived, now, id)
  redis.call("HSET", task, "msg", msg, "state", "archived")
  if malformed_msg then
    redis.call("HSET", task, "malformed_msg", malformed_msg)
  end
end

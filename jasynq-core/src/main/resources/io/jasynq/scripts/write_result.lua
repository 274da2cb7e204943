-- Store the result a handler wrote, only while its task is running (wire-format §3.22, with
-- the fix of 9.12: a result never recreates a deleted task's hash).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- ARGV[1]  result bytes
--
-- Returns  1 written; 0 when the hash is missing or its state is not "active" (nothing written);
--          error "BADKEY ..." (lib_keys.lua) when the task key holds another type (nothing written).
local bad = check_types(KEYS[1], "hash")
if bad then
  return bad
end
if redis.call("HGET", KEYS[1], "state") ~= "active" then
  return 0
end
redis.call("HSET", KEYS[1], "result", ARGV[1])
return 1

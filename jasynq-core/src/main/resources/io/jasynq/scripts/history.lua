-- Read daily counters for the Inspector's History (asynq-compat spec 6.2), in one atomic step.
--
-- KEYS[i]  the counters to read: asynq:{Q}:processed:<day> and asynq:{Q}:failed:<day> pairs
--
-- Returns  one integer per key, 0 where the key is missing.
local reply = {}
for i, key in ipairs(KEYS) do
  reply[i] = tonumber(redis.call("GET", key) or "0") or 0
end
return reply

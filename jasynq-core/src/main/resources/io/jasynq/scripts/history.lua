-- Read daily counters for the Inspector's History (wire-format §6.2), in one atomic step.
-- Key types are checked first: a counter that is not a string holding a number reads as 0 and
-- is reported, never raises WRONGTYPE.
--
-- KEYS[i]  the counters to read: asynq:{Q}:processed:<day> and asynq:{Q}:failed:<day> pairs
--
-- Returns  two entries per key: its count (0 where the key is missing or bad), then nil or a
--          problem line naming the key and what is wrong with it.
local reply = {}
for i, key in ipairs(KEYS) do
  local t = redis.call("TYPE", key)["ok"]
  local n, problem = 0, false
  if t == "string" then
    local value = redis.call("GET", key)
    n = tonumber(value)
    if n == nil or n ~= n or n == math.huge or n == -math.huge then
      n = 0
      problem = key .. " holds \"" .. string.sub(value, 1, 40) .. "\", not a number"
    end
  elseif t ~= "none" then
    problem = key .. " is a " .. t .. ", not a string"
  end
  reply[2 * i - 1] = n
  reply[2 * i] = problem
end
return reply

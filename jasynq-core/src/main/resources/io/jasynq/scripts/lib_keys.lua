-- Library prepended to the writer scripts (see Script.java): key-type checks that run before a
-- script's first write, and side-key updates that cannot fail half-way.
--
-- A key a script must read or move a task through (a container, a task hash) that holds another
-- Redis type is an error reply "BADKEY <key> is a <type>, expected a <what>", sent before anything
-- is written; Broker turns it into WrongKeyTypeException. A side key the task's progress must not
-- wait for (a counter, a unique lock) is left as it is and its name is collected in "skipped", for
-- the caller to log. No script deletes or overwrites a key of a type it does not expect.

local function type_of(key)
  return redis.call("TYPE", key)["ok"]
end

local function badkey_reply(key, actual, want)
  return redis.error_reply("BADKEY " .. key .. " is a " .. actual .. ", expected a " .. want)
end

-- The BADKEY reply for the first of the pairs (key, wanted type) whose key exists with another
-- type, or nil when every key is absent or of its type.
local function check_types(...)
  local pairs_ = {...}
  for i = 1, #pairs_, 2 do
    local actual = type_of(pairs_[i])
    if actual ~= "none" and actual ~= pairs_[i + 1] then
      return badkey_reply(pairs_[i], actual, pairs_[i + 1])
    end
  end
  return nil
end

-- Deletes a unique lock only while it is a string naming id; a lock of another type is left
-- alone and named in skipped.
local function release_lock(lock, id, skipped)
  local t = type_of(lock)
  if t == "string" then
    if redis.call("GET", lock) == id then
      redis.call("DEL", lock)
    end
  elseif t ~= "none" then
    skipped[#skipped + 1] = lock
  end
end


-- Whether s is valid UTF-8. A task ID must be: protobuf strings and Java Strings cannot carry
-- anything else, so an ID that is not cannot be named again by the server that took it.
local function is_utf8(s)
  if not string.find(s, "[\128-\255]") then
    return true
  end
  local i, n = 1, #s
  while i <= n do
    local c = string.byte(s, i)
    local len
    if c < 128 then
      len = 1
    elseif c >= 194 and c <= 223 then
      len = 2
    elseif c >= 224 and c <= 239 then
      len = 3
    elseif c >= 240 and c <= 244 then
      len = 4
    else
      return false
    end
    if i + len - 1 > n then
      return false
    end
    for k = i + 1, i + len - 1 do
      local b = string.byte(s, k)
      if b < 128 or b > 191 then
        return false
      end
    end
    local b2 = string.byte(s, i + 1)
    if (c == 224 and b2 < 160) or (c == 237 and b2 > 159) or (c == 240 and b2 < 144)
        or (c == 244 and b2 > 143) then
      return false -- overlong, surrogate or past U+10FFFF
    end
    i = i + len
  end
  return true
end

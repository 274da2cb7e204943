-- Read one server's heartbeat state for the Inspector (wire-format §6.2 Servers). Both keys
-- carry the same {host:pid:serverID} tag, so they share a slot on Cluster. Key types are checked
-- first, so a wrong-typed key never raises WRONGTYPE.
--
-- KEYS[1]  server info          asynq:servers:{host:pid:sid}
-- KEYS[2]  workers hash         asynq:workers:{host:pid:sid}
--
-- Returns  {server key type, ServerInfo bytes or nil, workers key type, {WorkerInfo bytes, ...}};
--          the value is read only from a string, the workers only from a hash.
local server = redis.call("TYPE", KEYS[1])["ok"]
local workers = redis.call("TYPE", KEYS[2])["ok"]
local info, values = false, {}
if server == "string" then
  info = redis.call("GET", KEYS[1])
end
if workers == "hash" then
  values = redis.call("HVALS", KEYS[2])
end
return {server, info, workers, values}

-- Read one server's heartbeat state for the Inspector (asynq-compat spec 6.2 Servers). Both keys
-- carry the same {host:pid:serverID} tag, so they share a slot on Cluster.
--
-- KEYS[1]  server info          asynq:servers:{host:pid:sid}
-- KEYS[2]  workers hash         asynq:workers:{host:pid:sid}
--
-- Returns  {ServerInfo bytes or nil, {WorkerInfo bytes, ...}}.
return {redis.call("GET", KEYS[1]), redis.call("HVALS", KEYS[2])}

-- List the live members of a heartbeat registry (asynq:servers, asynq:workers,
-- asynq:schedulers) and prune the expired ones (asynq-compat spec 6.2 Servers, SchedulerEntries).
--
-- KEYS[1]  the registry zset, scored by the unix second each entry expires
-- ARGV[1]  now, unix seconds
--
-- Returns  the members scored at or after now; members scored before now are removed.
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", "(" .. ARGV[1])
return redis.call("ZRANGEBYSCORE", KEYS[1], ARGV[1], "+inf")

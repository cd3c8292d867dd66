"""The Lua scripts that move a run through its thread's queue and lock, one per transition.

Each runs atomically in Redis, so two processes never both believe they hold a thread:
`ENQUEUE` stores a run and queues it (or refuses it: missing thread, busy under `reject`),
stamps the thread's metadata when asked (one round trip, not two), and flags the runs an
`interrupt`/`rollback` strategy cancels; `ACQUIRE` gives the thread's lock to the run at
the head of the queue; `FINISH` records the end, releases the lock and sets the thread's
status; `ADOPT` hands a dead worker's run to a live one for a retry. `RunStore`
(`api.runs.queue`) calls them.
"""

from __future__ import annotations

ENQUEUE = """
-- KEYS: thread, queue, lock, run, thread_runs, active, scheduled, owner_threads
-- ARGV: run_id, strategy, doc, score, now, worker, cancel_key_prefix, cancel_key_suffix,
-- not_before ('' for now), thread metadata JSON ('' to leave it), thread_id, epoch seconds
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {'exists'} end
local holder = redis.call('GET', KEYS[3])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
if ARGV[2] == 'reject' and (holder or #queued > 0) then return {'busy'} end
redis.call('HSET', KEYS[4], 'doc', ARGV[3], 'status', 'pending', 'updated_at', ARGV[5],
  'worker', ARGV[6], 'attempt', '1', 'error', '')
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
if ARGV[9] == '' then
  redis.call('SADD', KEYS[6], ARGV[1])
else
  redis.call('ZADD', KEYS[7], ARGV[9], ARGV[1])
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'busy', 'updated_at', ARGV[5])
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[1], 'metadata', ARGV[10])
  redis.call('ZADD', KEYS[8], ARGV[12], ARGV[11])
end
if ARGV[2] == 'interrupt' or ARGV[2] == 'rollback' then
  local action = ARGV[2]
  if holder then redis.call('SET', ARGV[7] .. holder .. ARGV[8], action, 'EX', 3600) end
  for _, r in ipairs(queued) do
    redis.call('SET', ARGV[7] .. r .. ARGV[8], action, 'EX', 3600)
    -- a scheduled run in the way is due now: a scheduler starts it, and it sees its cancel
    if redis.call('ZSCORE', KEYS[7], r) then redis.call('ZADD', KEYS[7], 0, r) end
  end
end
return {'ok'}
"""

ACQUIRE = """
-- KEYS: queue, lock, run, cancel  ARGV: run_id, worker, now, run_key_prefix
local holder = redis.call('GET', KEYS[2])
if redis.call('EXISTS', KEYS[4]) == 1 and holder ~= ARGV[1] then
  redis.call('LREM', KEYS[1], 0, ARGV[1])
  return 'cancelled'
end
if holder and holder ~= ARGV[1] then
  local status = redis.call('HGET', ARGV[4] .. holder, 'status')
  if status == 'running' or status == 'pending' then return 'wait' end
  holder = false
end
local head = redis.call('LINDEX', KEYS[1], 0)
if holder ~= ARGV[1] and head ~= ARGV[1] then
  if redis.call('LPOS', KEYS[1], ARGV[1]) then return 'wait' end
  return 'gone'
end
if head == ARGV[1] then redis.call('LPOP', KEYS[1]) end
if redis.call('EXISTS', KEYS[4]) == 1 then return 'cancelled' end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'status', 'running', 'worker', ARGV[2], 'updated_at', ARGV[3])
return 'acquired'
"""

FINISH = """
-- KEYS: lock, run, thread, active, queue, waiting, scheduled
-- ARGV: run_id, run_status, thread_status, now, error, epoch seconds, thread_id
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'updated_at', ARGV[4], 'error', ARGV[5])
end
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[7], ARGV[1])
redis.call('LREM', KEYS[5], 0, ARGV[1])
if redis.call('EXISTS', KEYS[3]) == 1 then
  local status = ARGV[3]
  if redis.call('LLEN', KEYS[5]) > 0 or redis.call('EXISTS', KEYS[1]) == 1 then
    status = 'busy'
  end
  redis.call('HSET', KEYS[3], 'status', status, 'updated_at', ARGV[4], 'error', ARGV[5])
  if ARGV[3] == 'interrupted' then
    redis.call('ZADD', KEYS[6], 'NX', ARGV[6], ARGV[7])
  else
    redis.call('ZREM', KEYS[6], ARGV[7])
  end
end
return 1
"""

ADOPT = """
-- KEYS: run, queue, lock  ARGV: run_id, dead_worker, new_worker, max_attempts, now
if redis.call('HGET', KEYS[1], 'worker') ~= ARGV[2] then return 'taken' end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'pending' then
  redis.call('HSET', KEYS[1], 'worker', ARGV[3])
  return 'pending'
end
if status ~= 'running' then return 'finished' end
local attempt = tonumber(redis.call('HGET', KEYS[1], 'attempt')) + 1
if attempt > tonumber(ARGV[4]) then return 'exhausted' end
redis.call('HSET', KEYS[1], 'worker', ARGV[3], 'attempt', attempt, 'status', 'pending',
  'updated_at', ARGV[5])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if not redis.call('LPOS', KEYS[2], ARGV[1]) then redis.call('LPUSH', KEYS[2], ARGV[1]) end
return 'retry'
"""

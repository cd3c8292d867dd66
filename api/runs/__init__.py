"""The run engine behind the HTTP API: thread and run records and their Redis key names, the
per-thread queue and lock (Lua), execution of a run against the graph, worker leases and
adoption of a dead worker's runs, expiry and pruning. No FastAPI here."""

"""The Redis checkpointer: `saver.SupportRedisSaver` is langgraph-checkpoint-redis's
`AsyncRedisSaver` with each correction in its own layer (lean writes, compact bodies, thread
keys and lifecycle, TTL). Each override says which upstream behaviour it corrects."""

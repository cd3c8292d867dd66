"""What the graph remembers and where: the state schema and structured outputs, the settings,
the specialist registry, the checkpointer (`checkpoint/`), the tenant's stores (`stores/`)
and the managed local Redis. Nothing here knows about HTTP."""

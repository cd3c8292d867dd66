"""The `supportgraph` command: `main` parses and dispatches; chat, eval, serve, the managed
Redis and thread maintenance each have their module or function here."""

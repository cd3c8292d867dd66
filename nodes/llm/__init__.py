"""The model layer: `provider.ModelProvider` hands each node its chat model for the configured
backend — `hosted` (ChatOpenAI, with fallback) or `offline` (a deterministic chat model over
the classifiers of `brain`/`classifier`, trained on `examples`). Nodes never build models."""

"""The graph's decisions, one node per module (guardrail, router, faq, specialist, human, and
the triage steps classify_ticket → lookup_customer → create_ticket), each with its prompt.

`llm/` is the model layer the nodes call. Nodes read state and return updates; side effects
belong to `tools/` (actions) or to idempotent stores in `state/stores/`."""

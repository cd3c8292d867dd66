"""Assembly only: the support graph, the specialist and triage subgraphs, and the type of
what they are built from (`deps.SupportDeps`). No business logic lives here: a graph file
wires nodes and tools; it decides nothing and is compiled by whoever brings a checkpointer."""

"""Everything that faces the outside: `http/` (the LangGraph Platform API over FastAPI),
`runs/` (the run engine: queue, locks, leases, execution), `cli/` (the `supportgraph`
command), `studio` (LangGraph Studio's entry points) and `bootstrap`, the one start-up
wiring they all open the product through."""

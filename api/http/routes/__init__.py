"""HTTP routes, one module per resource of the LangGraph Platform API."""

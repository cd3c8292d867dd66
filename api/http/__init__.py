"""The HTTP API: app and middleware, the dependency aliases, request schemas, caller identity,
request validation, and one route module per resource. Routes stay thin: they validate,
authorise and hand over to the run engine or the stores."""

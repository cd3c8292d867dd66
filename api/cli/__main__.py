"""`python -m api.cli`: the same as the `supportgraph` command."""

from api.cli.main import main

raise SystemExit(main())

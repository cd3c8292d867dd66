"""What the agents can do: handoffs that return `Command`, read-only customer lookups,
sensitive actions behind an approval interrupt, and the tool policy that one tool node
enforces for all of them. Tools act; they do not route or decide turns."""

"""The task queue's side: the job functions `supportgraph worker` runs, and how they resume
the threads that wait on them through the run engine."""

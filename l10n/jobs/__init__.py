"""Long work as jobs: submitted, run in the background, polled or called back (docs/jobs.md)."""

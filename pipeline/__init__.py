"""Pipeline: document model, stages, coordination, batch runs and the CLI."""

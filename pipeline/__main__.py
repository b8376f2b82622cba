"""`python -m pipeline` runs the `contracts` command line."""
from pipeline.cli import app

app()

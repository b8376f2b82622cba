"""The `contracts` command line: one Typer app, one module per command group.

Each module in `COMMAND_MODULES` exposes `register(app)`; heavy libraries are
imported inside the commands so that `contracts --help` stays fast.
"""
from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = [
    "pipeline.commands.extract",
    "pipeline.commands.explain",
    "pipeline.commands.run",
    "pipeline.commands.db",
    "pipeline.commands.export",
    "pipeline.commands.samples",
    "pipeline.commands.evaluate",
    "pipeline.commands.review",
]

app = typer.Typer(
    name="contracts",
    help="Turn archives of service contracts (OCR text, PDFs, scans) into checked, structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def main() -> None:
    """Turn archives of service contracts (OCR text, PDFs, scans) into checked, structured data."""


for module_name in COMMAND_MODULES:
    importlib.import_module(module_name).register(app)

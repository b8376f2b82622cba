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
    "pipeline.commands.users",
]

app = typer.Typer(
    name="contracts",
    help="Turn archives of service contracts (OCR text, PDFs, scans) into checked, structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},  # every command: -h works like --help
)


def version_text() -> str:
    """`contracts 0.1.0 (extractor 1.0.0)`: the installed package's version and the extractor's."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.language import EXTRACTOR_VERSION

    try:
        package = version("contracts")
    except PackageNotFoundError:  # running from a source tree that is not installed
        package = "unknown"
    return f"contracts {package} (extractor {EXTRACTOR_VERSION})"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Turn archives of service contracts (OCR text, PDFs, scans) into checked, structured data."""


for module_name in COMMAND_MODULES:
    importlib.import_module(module_name).register(app)

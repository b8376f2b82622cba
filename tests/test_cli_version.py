"""`contracts --version` and `-h`."""
from __future__ import annotations

from importlib.metadata import version

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.language import EXTRACTOR_VERSION


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"contracts {version('contracts')} (extractor {EXTRACTOR_VERSION})"


def test_h_is_help_for_the_app_and_its_commands():
    runner = CliRunner()
    for args in ([], ["run"], ["export"], ["db"]):
        short, long = runner.invoke(app, [*args, "-h"]), runner.invoke(app, [*args, "--help"])
        assert short.exit_code == long.exit_code == 0, short.output
        assert short.output == long.output and "Usage:" in short.output

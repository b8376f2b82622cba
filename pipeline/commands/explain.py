"""`contracts explain`: what each stage saw in one file, to trace a misread."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    file: Path = typer.Argument(..., help="One contract file: OCR text, PDF or page image."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Show only one stage: lines, tables, keys or "
                                        "candidates (default: all)."),
    ocr: str = typer.Option("rapidocr", "--ocr", help="OCR engine for scans and images: rapidocr or tesseract."),
) -> None:
    """Print what each stage saw in FILE: lines with furniture and table flags, sections,
    tables with their column roles, the parties' key/value statements, the candidate
    statements and the readings the resolver chose."""
    from pipeline.explain import STAGES, explain as report
    from pipeline.ingest import IngestOptions
    from pipeline.language import extract_file

    if stage is not None and stage not in STAGES:
        raise typer.BadParameter(f"choose one of {', '.join(STAGES)}", param_hint="--stage")
    try:
        doc = extract_file(file, IngestOptions(ocr_engine=ocr))
    except InputError as err:
        typer.echo(f"error: {err.message}", err=True)
        raise typer.Exit(code=2)
    for line in report(doc, (stage,) if stage else STAGES):
        typer.echo(line)

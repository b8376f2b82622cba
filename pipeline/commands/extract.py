"""`contracts extract`: the record of each file, as JSON on stdout or in a folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    files: list[Path] = typer.Argument(..., help="Contract files: OCR text (UTF-8/GBK), PDF, or page images."),
    format: str = typer.Option("json", "--format", help="Output format (json is the interchange record)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write <stem>.json per file into this folder "
                                       "(default: print the record of a single file on stdout)."),
    with_evidence: bool = typer.Option(False, "--with-evidence",
                                       help="Add an 'evidence' object: JSON path -> page, span, snippet, bbox."),
    ocr: str = typer.Option("rapidocr", "--ocr", help="OCR engine for scans and images: rapidocr or tesseract."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of encrypted PDFs."),
) -> None:
    """Extract the checked contract record of each FILE (SCHEMA.md format)."""
    from pipeline.ingest import IngestOptions
    from pipeline.language import extract_file

    if format != "json":
        raise typer.BadParameter("only 'json' is supported", param_hint="--format")
    if out is None and len(files) > 1:
        raise typer.BadParameter("several files need --out DIR", param_hint="--out")
    if ocr not in ("rapidocr", "tesseract"):
        raise typer.BadParameter("choose rapidocr or tesseract", param_hint="--ocr")
    options = IngestOptions(ocr_engine=ocr, password=password)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for path in files:
        try:
            doc = extract_file(path, options)
        except InputError as err:
            failures += 1
            typer.echo(f"error: {err.message}", err=True)
            continue
        except Exception as err:  # an extractor bug must not stop the other files
            failures += 1
            typer.echo(f"error: {path}: internal error while extracting ({type(err).__name__}: {err}); "
                       "please report it with the file", err=True)
            continue
        payload = doc.record.to_json_dict()
        if with_evidence:
            payload["evidence"] = {k: v.model_dump(mode="json", exclude_none=True) for k, v in doc.evidence.items()}
        for warning in doc.warnings:
            typer.echo(f"warning: {path.name}: {warning}", err=True)
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            target = out / f"{path.stem}.json"
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(text + "\n", encoding="utf-8")
            tmp.replace(target)
    if failures:
        raise typer.Exit(code=1 if failures < len(files) else 2)

"""`contracts evaluate`: extract a folder of contracts with true records and score the result."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Optional

import typer

from pipeline.commands.samples import check_rate, parse_formats


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)


def evaluate(
    directory: Optional[Path] = typer.Argument(None, help="Folder of contracts with true records in DIR/truth "
                                               "(as written by `contracts samples`)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the extracted records here as <stem>.json."),
    truth: Optional[Path] = typer.Option(None, "--truth", help="Folder of true records (default DIR/truth)."),
    generate: int = typer.Option(0, "--generate", min=0, help="First generate this many contracts (into DIR, "
                                 "or a temporary folder) and evaluate them."),
    seed: int = typer.Option(0, "--seed", help="Seed for --generate."),
    inject_errors: float = typer.Option(0.0, "--inject-errors", help="Error probability for --generate."),
    formats: str = typer.Option("txt", "--formats", help="Formats for --generate: txt, pdf, scan."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract with this many processes."),
    show_misses: bool = typer.Option(False, "--show-misses", help="List every mismatch."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores here as JSON."),
) -> None:
    """Score extraction against true records: precision/recall/F1 per area, and of the findings."""
    from pipeline.evaluate import evaluate as run_evaluation, report, scores_json

    if directory is None and not generate:
        raise typer.BadParameter("give a folder, or --generate N", param_hint="DIR")
    with tempfile.TemporaryDirectory(prefix="contracts-eval-") as tmp:
        folder = directory or Path(tmp)
        if generate:
            from pipeline.synth.generate import write_batch

            write_batch(folder, generate, seed=seed, error_rate=check_rate(inject_errors),
                        formats=parse_formats(formats))
        truth_dir = truth or folder / "truth"
        if not truth_dir.is_dir():
            raise typer.BadParameter(f"no true records in {truth_dir}", param_hint="--truth")
        run = run_evaluation(folder, truth=truth_dir, out=out, jobs=jobs)
    typer.echo(report(run, show_misses=show_misses))
    if json_out:
        json_out.write_text(json.dumps(scores_json(run), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

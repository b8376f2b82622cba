"""`contracts samples`: write realistic synthetic contracts and their true records."""
from __future__ import annotations

from pathlib import Path

import typer

FORMAT_CHOICES = ("txt", "pdf", "scan")


def register(app: typer.Typer) -> None:
    app.command("samples")(samples)


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMAT_CHOICES]
    if unknown or not formats:
        raise typer.BadParameter(f"choose from {', '.join(FORMAT_CHOICES)}", param_hint="--formats")
    return formats


def check_rate(rate: float) -> float:
    if not 0 <= rate <= 1:
        raise typer.BadParameter("a probability between 0 and 1", param_hint="--inject-errors")
    return rate


def samples(
    out: Path = typer.Option(..., "--out", help="Folder to write the contracts into (truth records go to OUT/truth)."),
    count: int = typer.Option(6, "--count", "-n", min=1, help="How many contracts."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same contracts."),
    inject_errors: float = typer.Option(0.0, "--inject-errors",
                                        help="Probability per contract of planting 1-2 known inconsistencies."),
    formats: str = typer.Option("txt", "--formats", help="Comma-separated: txt (OCR-like text), "
                                "pdf (text-layer PDF), scan (image-only scanned PDF)."),
) -> None:
    """Write COUNT synthetic contracts and, for each source file, its true record."""
    from pipeline.synth.generate import write_batch

    written = write_batch(out, count, seed=seed, error_rate=check_rate(inject_errors), formats=parse_formats(formats))
    typer.echo(f"wrote {len(written)} files for {count} contracts to {out} (true records in {out / 'truth'})")

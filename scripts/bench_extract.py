"""Benchmark: extraction time per contract on one core (interpreter start-up excluded).

Prints median and p95 milliseconds per contract and contracts per second, over
generated contracts (made here with the project's generator) and over the
shared seeds when ../shared is present. Run with `make bench`.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.language import extract_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
REPEATS = 5


def measure(files: list[Path]) -> list[float]:
    for path in files[:3]:
        extract_file(path)
    times = []
    for path in files:
        best = float("inf")
        for _ in range(REPEATS):
            started = time.perf_counter()
            extract_file(path)
            best = min(best, time.perf_counter() - started)
        times.append(best)
    return times


def report(label: str, files: list[Path], times: list[float]) -> None:
    sizes = [p.stat().st_size for p in files]
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(f"{label:<22}{len(files):>6}{statistics.median(sizes) / 1024:>10.1f}"
          f"{statistics.median(times) * 1000:>12.1f}{p95 * 1000:>10.1f}{len(times) / sum(times):>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="generated contracts to time")
    args = parser.parse_args()
    print(f"{'corpus':<22}{'docs':>6}{'KB (med)':>10}{'median ms':>12}{'p95 ms':>10}{'docs/s':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        from pipeline.synth.generate import write_batch
        write_batch(Path(tmp), args.count, seed=11)
        files = sorted(p for p in Path(tmp).iterdir() if p.suffix == ".txt")
        report("generated", files, measure(files))
        big = [p for p in files if p.stat().st_size >= 20 * 1024]
        if big:
            report("generated >= 20 KB", big, measure(big))
    if SEEDS.exists():
        seeds = sorted(SEEDS.glob("*.txt"))
        report("shared seeds", seeds, measure(seeds))
    else:
        print(f"(shared seeds not found at {SEEDS}: skipped)")


if __name__ == "__main__":
    main()

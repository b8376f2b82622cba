"""Benchmark: `contracts run` over 10,000 generated contracts into SQLite, with 1 and 2 workers.

Prints contracts per second for each (the run's own clock: discovery to last
commit, interpreter start-up excluded), the speed-up, the main process's
memory (resident set early in the run and at its peak: flat means it does not
grow with the archive) and CPU time per contract, and the database size. The contracts are generated once
into bench-out/batch/ (with the project's generator, in parallel) and reused.
Run with `make bench-batch`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = Path(sys.executable).with_name("contracts")
TARGETS = {"rate_2": 150.0, "speedup": 1.7}


def _generate(out: Path, start: int, count: int, seed: int) -> int:
    from pipeline.synth.generate import write_batch

    return len(write_batch(out, count, seed=seed, start=start))


def generate(out: Path, count: int, seed: int) -> None:
    """Write `count` contracts into `out`, unless a previous run already did."""
    stamp = out / ".generated"
    if stamp.exists() and stamp.read_text() == f"{count} {seed}":
        print(f"reusing {count} contracts in {out}")
        return
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    workers = os.cpu_count() or 1
    chunk = -(-count // (workers * 8))
    with ProcessPoolExecutor(workers) as pool:
        jobs = [pool.submit(_generate, out, 1 + i, min(chunk, count - i), seed) for i in range(0, count, chunk)]
        written = sum(job.result() for job in jobs)
    stamp.write_text(f"{count} {seed}")
    print(f"generated {written} contracts in {out} ({time.perf_counter() - started:.0f} s)")


def run(archive: Path, db: Path, workers: int) -> dict:
    """One `contracts run`; returns its report plus memory and size figures."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    report = db.with_suffix(f".w{workers}.json")
    command = [str(CONTRACTS), "run", str(archive), "--db", f"sqlite:///{db}", "--workers", str(workers),
               "--report", str(report)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(process.pid)
    samples: list[tuple[float, int]] = []
    cpu = 0.0
    while process.poll() is None:
        try:
            samples.append((time.perf_counter() - started, main.memory_info().rss))
            times = main.cpu_times()
            cpu = times.user + times.system
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    if process.returncode not in (0, 1):
        sys.exit(f"contracts run failed with exit code {process.returncode}: {' '.join(command)}")
    data = json.loads(report.read_text())
    early = [rss for t, rss in samples if t >= 0.2 * wall] or [samples[-1][1]]
    data.update(wall=wall, rss_early=early[0], rss_peak=max(rss for _, rss in samples), main_cpu=cpu,
                db_bytes=sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "batch")
    args = parser.parse_args()
    archive = args.out / "contracts"
    generate(archive, args.count, args.seed)
    results = {}
    for workers in (1, 2):
        results[workers] = data = run(archive, args.out / "bench.db", workers)
        docs = data["documents"]
        print(f"{workers} worker{'s' if workers > 1 else ' '}: {data['contracts_per_second']:7.1f} contracts/s "
              f"({docs['ok']} loaded, {docs['failed'] + docs['error']} failed, {data['seconds']:.1f} s; "
              f"{data['wall']:.1f} s with start-up) | main process RSS {data['rss_early'] / 2**20:.0f} MB at 20% "
              f"of the run, peak {data['rss_peak'] / 2**20:.0f} MB, CPU {data['main_cpu'] / max(docs['ok'], 1) * 1000:.1f} "
              f"ms/contract | database {data['db_bytes'] / 2**20:.0f} MB")
    rate_1, rate_2 = results[1]["contracts_per_second"], results[2]["contracts_per_second"]
    speedup = rate_2 / rate_1
    print(f"speed-up with 2 workers: {speedup:.2f}x (targets: >= {TARGETS['rate_2']:.0f} contracts/s with 2 "
          f"workers, speed-up >= {TARGETS['speedup']}; this machine has {os.cpu_count()} cores, "
          f"load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()

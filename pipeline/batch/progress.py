"""Progress of a run: a rich progress bar on a terminal, plain log lines otherwise.

Both show documents done out of those found, documents per second and the time
left; failures are reported as they happen, one line each.
"""
from __future__ import annotations

import time
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RunProgress(Protocol):
    def advance(self, count: int = 1) -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


def make_progress(total: int, console: Console) -> RunProgress:
    return BarProgress(total, console) if console.is_terminal else LogProgress(total, console)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.1f} docs/s", style="progress.data.speed")


class BarProgress:
    def __init__(self, total: int, console: Console):
        self._progress = Progress(
            TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, speed_estimate_period=30,
        )
        self._task = self._progress.add_task("run", total=total)
        self._progress.start()

    def advance(self, count: int = 1) -> None:
        self._progress.advance(self._task, count)

    def note(self, message: str) -> None:
        self._progress.console.print(message, markup=False, highlight=False)

    def close(self) -> None:
        self._progress.stop()


class LogProgress:
    """One line every `interval` seconds, and a last one at the end."""

    def __init__(self, total: int, console: Console, interval: float = 5.0):
        self._total, self._console, self._interval = total, console, interval
        self._done = 0
        self._started = self._last = time.monotonic()
        self._log(f"found {total} files")

    def advance(self, count: int = 1) -> None:
        self._done += count
        if time.monotonic() - self._last >= self._interval:
            self._report()

    def note(self, message: str) -> None:
        self._log(message)

    def close(self) -> None:
        self._report()

    def _report(self) -> None:
        self._last = time.monotonic()
        elapsed = self._last - self._started
        rate = self._done / elapsed if elapsed > 0 else 0.0
        left = (self._total - self._done) / rate if rate > 0 else None
        eta = "?" if left is None else f"{left:.0f}s"
        self._log(f"{self._done}/{self._total} documents, {rate:.1f} docs/s, ETA {eta}")

    def _log(self, message: str) -> None:
        self._console.print(f"[run] {message}", markup=False, highlight=False, soft_wrap=True)

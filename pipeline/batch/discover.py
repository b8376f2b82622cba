"""Find the archive's files and identify each one by its content hash.

`discover` streams paths with os.scandir, one directory level open at a time,
so memory does not grow with the archive. Hidden entries are skipped and
symlinked folders are not followed (no cycles). `identify` reads a file once to
hash it; a file that cannot be read (a broken link, a FIFO, no permission)
comes back with the reason, to be recorded as failed.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from pipeline.ingest import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class Source:
    """A file of the archive, identified."""

    path: str
    sha256: Optional[str] = None
    size: Optional[int] = None
    unreadable: Optional[str] = None  # why it could not be read

    @property
    def key(self) -> str:
        """The document's identity: its content hash, or its path when unreadable."""
        return self.sha256 or f"path:{self.path}"


def discover(root: Path) -> Iterator[str]:
    """Absolute paths of the supported files under `root`, recursively."""
    with os.scandir(os.path.abspath(root)) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from discover(Path(entry.path))
            elif entry.is_dir():
                continue  # a symlinked folder
            elif os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                yield entry.path


def identify(path: str) -> Source:
    """Hash the file at `path`; unreadable files get the reason instead."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, socket or device"
            return Source(path, unreadable=f"{path}: not a regular file ({kind}); remove it from the archive")
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256")
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file (removed during the run?)"
        return Source(path, unreadable=f"{path}: {reason}")
    except OSError as err:
        return Source(path, unreadable=f"{path}: cannot be read ({err.strerror or err}); check its permissions")
    return Source(path, sha256=digest.hexdigest(), size=info.st_size)


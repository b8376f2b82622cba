"""Find the archive's files and identify each one by its content hash.

`discover` streams paths with os.scandir, one directory level open at a time,
so memory does not grow with the archive. Hidden entries are skipped and
symlinked folders are not followed (no cycles). An entry that cannot be
examined (a symbolic link that loops, a folder that cannot be listed) does not
stop the walk: it comes back as a `Source` with the reason, to be recorded as
failed like a file that cannot be read. `identify` reads a file once to hash
it; a file that cannot be read (a broken link, a FIFO, no permission) comes
back with the reason too.

Paths stay as the operating system gives them (a name that is not UTF-8 holds
surrogate escapes, so the file can still be opened); `Source.name` is the
path as valid text (`pipeline.ingest.readable_path`) for the database and
messages.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from pipeline.ingest import SUPPORTED_SUFFIXES, readable_path

@dataclass(frozen=True)
class Source:
    """A file of the archive, identified."""

    path: str
    sha256: Optional[str] = None
    size: Optional[int] = None
    unreadable: Optional[str] = None  # why it could not be read

    @property
    def name(self) -> str:
        """The path as valid text, for the database and messages."""
        return readable_path(self.path)

    @property
    def key(self) -> str:
        """The document's identity: its content hash, or its path when unreadable."""
        return self.sha256 or f"path:{self.name}"


def discover(root: str | os.PathLike[str],
             unsupported: Optional[Callable[[str], None]] = None) -> Iterator[str | Source]:
    """Absolute paths of the supported files under `root`, recursively, and the
    entries that could not be examined (as unreadable `Source`s); the path of
    each file of another type goes to `unsupported`."""
    folder = os.path.abspath(root)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                supported = os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES
                try:
                    is_folder, is_link = entry.is_dir(follow_symlinks=False), entry.is_symlink()
                    if not is_folder and is_link and entry.is_dir():
                        continue  # a symlinked folder
                except OSError as err:
                    if supported:
                        yield _cannot(entry.path, "cannot be examined", err, "fix or remove the link")
                    continue
                if is_folder:
                    yield from discover(entry.path, unsupported)
                elif supported:
                    yield entry.path
                elif unsupported is not None:
                    unsupported(entry.path)
    except OSError as err:
        yield _cannot(folder, "the folder cannot be listed", err, "check its permissions")


def _cannot(path: str, what: str, err: OSError, advice: str) -> Source:
    return Source(path, unreadable=f"{readable_path(path)}: {what} ({err.strerror or err}); {advice}")


def identify(found: str | Source) -> Source:
    """Hash the file at `found`; unreadable files get the reason instead."""
    if isinstance(found, Source):
        return found
    path, shown = found, readable_path(found)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, socket or device"
            return Source(path, unreadable=f"{shown}: not a regular file ({kind}); remove it from the archive")
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256")
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file (removed during the run?)"
        return Source(path, unreadable=f"{shown}: {reason}")
    except OSError as err:
        return Source(path, unreadable=f"{shown}: cannot be read ({err.strerror or err}); check its permissions")
    return Source(path, sha256=digest.hexdigest(), size=info.st_size)

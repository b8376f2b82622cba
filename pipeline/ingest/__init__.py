"""Ingest: turn a file on disk into a `ContractDoc` (text, pages, boxes).

Dispatches on the file's content: text files (UTF-8, UTF-8 with BOM, GB18030/GBK),
PDFs (text layer read with pdfplumber, scanned pages OCR'd) and page images.
A text file that happens to begin like an image ("BM", "II*") is read as text
unless its suffix says image or Pillow recognizes it. NUL characters, which
no database column takes, are dropped from every page. A file name that is
not valid UTF-8 is shown with its undecodable bytes as \\xNN (`readable_path`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import regex

from pipeline.document import ContractDoc, PageText
from pipeline.errors import EmptyFile, UnsupportedType, Unreadable

TEXT_SUFFIXES = {".txt", ".text", ".ocr", ""}
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES
PDF_MAGIC = regex.compile(rb"%PDF-\d")
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")


@dataclass
class IngestOptions:
    ocr_engine: str = "rapidocr"
    password: Optional[str] = None
    dpi: int = 200


def readable_path(path: str | os.PathLike[str]) -> str:
    """The path as valid text: bytes of a name that are not UTF-8 (a GBK name from a
    Windows archive) become \\xNN escapes, so the name can be stored, printed and found."""
    return storable_text(os.fspath(path))


def storable_text(value: str) -> str:
    """Text every database column and UTF-8 file takes: NUL characters dropped, the
    surrogate escapes of undecodable file-name bytes written as \\xNN."""
    value = value.replace("\0", "")
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        raw = value.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def sniff_kind(path: Path, head: bytes) -> str:
    """'pdf', 'image' or 'text', by magic bytes first and suffix second."""
    suffix = path.suffix.lower()
    if PDF_MAGIC.match(head):
        return "pdf"
    if head.startswith(IMAGE_MAGIC) and (suffix in IMAGE_SUFFIXES or _parses_as_image(path)):
        return "image"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return "text"


def _parses_as_image(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path):
            return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False


def read_document(path: Path, options: IngestOptions) -> ContractDoc:
    shown = readable_path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except IsADirectoryError:
        raise Unreadable(f"{shown}: is a folder; pass files, or use 'contracts run FOLDER'") from None
    except FileNotFoundError:
        raise Unreadable(f"{shown}: no such file") from None
    except OSError as err:
        raise Unreadable(f"{shown}: cannot be read ({err.strerror or err})") from None
    if not head:
        raise EmptyFile(f"{shown}: the file is empty")
    kind = sniff_kind(path, head)
    warnings: list[str] = []
    if kind == "pdf":
        from pipeline.ingest.pdf import read_pdf
        pages = read_pdf(path, options)
    elif kind == "image":
        from pipeline.ingest.images import read_image
        pages = read_image(path, options)
    else:
        from pipeline.ingest.text import read_text
        pages, warnings = read_text(path)
    if not pages:
        raise UnsupportedType(f"{shown}: nothing readable in this file")
    separator = "" if kind == "text" else "\f"
    doc = ContractDoc.from_pages(os.path.basename(shown), [_without_nul(page) for page in pages],
                                 path=path, separator=separator)
    for warning in warnings:
        doc.warn(warning)
    return doc


def _without_nul(page: PageText) -> PageText:
    """The page without NUL characters, its boxes and confidences kept aligned."""
    if "\0" not in page.text:
        return page
    keep = [i for i, ch in enumerate(page.text) if ch != "\0"]
    return replace(page, text="".join(page.text[i] for i in keep),
                   boxes=None if page.boxes is None else [page.boxes[i] for i in keep],
                   confidences=None if page.confidences is None else [page.confidences[i] for i in keep])

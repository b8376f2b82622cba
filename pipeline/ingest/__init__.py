"""Ingest: turn a file on disk into a `ContractDoc` (text, pages, boxes).

Dispatches on the file's content: text files (UTF-8, UTF-8 with BOM, GB18030/GBK),
PDFs (text layer read with pdfplumber, scanned pages OCR'd) and page images.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pipeline.document import ContractDoc
from pipeline.errors import EmptyFile, UnsupportedType, Unreadable

TEXT_SUFFIXES = {".txt", ".text", ".ocr", ""}
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES


@dataclass
class IngestOptions:
    ocr_engine: str = "rapidocr"
    password: Optional[str] = None
    dpi: int = 200


def sniff_kind(path: Path, head: bytes) -> str:
    """'pdf', 'image' or 'text', by magic bytes first and suffix second."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")):
        return "image"
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return "text"


def read_document(path: Path, options: IngestOptions) -> ContractDoc:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except IsADirectoryError:
        raise Unreadable(f"{path}: is a folder; pass files, or use 'contracts run FOLDER'") from None
    except FileNotFoundError:
        raise Unreadable(f"{path}: no such file") from None
    except OSError as err:
        raise Unreadable(f"{path}: cannot be read ({err.strerror or err})") from None
    if not head:
        raise EmptyFile(f"{path}: the file is empty")
    kind = sniff_kind(path, head)
    if kind == "pdf":
        from pipeline.ingest.pdf import read_pdf
        pages = read_pdf(path, options)
    elif kind == "image":
        from pipeline.ingest.images import read_image
        pages = read_image(path, options)
    else:
        from pipeline.ingest.text import read_text
        pages = read_text(path)
    if not pages:
        raise UnsupportedType(f"{path}: nothing readable in this file")
    separator = "" if kind == "text" else "\f"
    return ContractDoc.from_pages(path.name, pages, path=path, separator=separator)

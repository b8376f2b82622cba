"""Ingest for OCR text files: size and binary guards, encoding detection, pages.

Encodings are tried strictly in order (UTF-8 with or without BOM, UTF-16 with a
BOM, GB18030 which covers GBK and GB2312); only when none decodes cleanly does
charset-normalizer guess. Pages end at form feeds or, in OCR dumps without
them, at runs of blank lines (the page gap OCR tools leave); each page keeps its
own break characters so the pages join back into the file's exact text.
"""
from __future__ import annotations

from pathlib import Path

import regex

from pipeline.document import PageText
from pipeline.errors import BinaryFile, EmptyFile, TooLarge, Unreadable

MAX_TEXT_BYTES = 8 * 1024 * 1024
BINARY_SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05
PAGE_BREAK = regex.compile(r"\f|\n(?:[ \t\u3000]*\n){3,}")
ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def read_text(path: Path) -> list[PageText]:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise TooLarge(
            f"{path}: {size / 1_048_576:.1f} MB of text is far larger than any contract "
            f"(limit {MAX_TEXT_BYTES // 1_048_576} MB); check that it is one contract, or split it")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Unreadable(f"{path}: cannot be read ({err.strerror or err})") from None
    text = decode_bytes(data, str(path))
    if not text.strip():
        raise EmptyFile(f"{path}: the file holds only white space")
    return [PageText(text=page, source="text") for page in split_pages(text)]


def decode_bytes(data: bytes, label: str = "input") -> str:
    """Decode text bytes, refusing binary data with a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    head = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        raise BinaryFile(f"{label}: this is a binary file, not text; pass an OCR text, PDF or image")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is None:
            raise BinaryFile(f"{label}: not text in any known encoding (tried UTF-8, GB18030)")
        text = str(best)
    sample = text[:BINARY_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch < " " and ch not in ALLOWED_CONTROLS)
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise BinaryFile(f"{label}: this looks like binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_pages(text: str) -> list[str]:
    """Cut text after each page break; the pieces concatenate back to `text`."""
    pages, start = [], 0
    for match in PAGE_BREAK.finditer(text):
        pages.append(text[start:match.end()])
        start = match.end()
    pages.append(text[start:])
    return [p for p in pages if p] or [text]

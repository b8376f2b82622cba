"""Ingest for OCR text files: size and binary guards, encoding detection, pages.

A file that is valid UTF-8 (with or without BOM) is UTF-8; UTF-16 needs its
BOM; otherwise, when UTF-8 reads all but a few of its non-ASCII bytes, it is
damaged UTF-8, else GB18030 (which covers GBK and GB2312) when that reads it
whole. A file that still does not decode cleanly — a damaged byte, a
multi-byte character cut off at the end, a GB18030 body with a UTF-8 footer —
is decoded line by line with the encoding that fits each line (see
`_best_reading`); the bytes no encoding reads become U+FFFD and a warning says
how many. Only when more than a fifth of the bytes are undecodable does
charset-normalizer guess. NUL bytes, which no database column takes, are
dropped (a warning counts them); a file whose head is more than 1 % NUL is
binary and refused.
Pages end at form feeds or, in OCR dumps without them, at runs of blank lines
(the page gap OCR tools leave); each page keeps its own break characters so
the pages join back into the file's exact text.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import regex

from pipeline.document import PageText
from pipeline.errors import BinaryFile, EmptyFile, TooLarge, Unreadable

MAX_TEXT_BYTES = 8 * 1024 * 1024
BINARY_SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05
#: Share of NUL bytes in the file's head above which it is binary, not damaged text.
MAX_NUL_SHARE = 0.01
#: Share of undecodable bytes above which the line-by-line decoding gives up for charset-normalizer.
MAX_REPLACED_SHARE = 0.2
#: A line is read as UTF-8 when at most this share of its non-ASCII bytes is undecodable as UTF-8.
UTF8_DAMAGE_SHARE = 0.1
PAGE_BREAK = regex.compile(r"\f|\n(?:[ \t\u3000]*\n){3,}")
ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}
#: Non-ASCII bytes a line needs before valid UTF-8 is taken for UTF-8 in a file that is mostly GB18030.
MIN_UTF8_EVIDENCE = 6
_ESCAPE_HANDLER = "contracts.escape"
_ESCAPED = regex.compile(r"[\udc00-\udcff]")
_NON_ASCII = bytes(range(0x80, 0x100))


@dataclass
class DecodedText:
    """Text decoded from bytes, with what had to be repaired on the way."""

    text: str
    encoding: str
    replaced: int = 0      # undecodable bytes, now U+FFFD
    nul_bytes: int = 0     # NUL bytes dropped
    encodings: list[str] = field(default_factory=list)  # per-line encodings used, when mixed

    @property
    def warnings(self) -> list[str]:
        notes = []
        if self.replaced:
            notes.append(f"{_bytes(self.replaced)} could not be decoded as {self.encoding} and "
                         "became �; check the text near them against the original")
        if len(self.encodings) > 1:
            notes.append(f"mixed encodings: lines read as {' and '.join(self.encodings)}")
        if self.nul_bytes:
            notes.append(f"{_bytes(self.nul_bytes)} NUL dropped from the text")
        return notes


def _bytes(count: int) -> str:
    return f"{count} byte" if count == 1 else f"{count} bytes"


def read_text(path: Path) -> tuple[list[PageText], list[str]]:
    """The file's pages and the warnings its decoding gave."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise TooLarge(
            f"{path}: {size / 1_048_576:.1f} MB of text is far larger than any contract "
            f"(limit {MAX_TEXT_BYTES // 1_048_576} MB); check that it is one contract, or split it")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Unreadable(f"{path}: cannot be read ({err.strerror or err})") from None
    decoded = decode_text(data, str(path))
    if not decoded.text.strip():
        raise EmptyFile(f"{path}: the file holds only white space")
    return [PageText(text=page, source="text") for page in split_pages(decoded.text)], decoded.warnings


def decode_bytes(data: bytes, label: str = "input") -> str:
    """Decode text bytes, refusing binary data with a clear error (the repairs are not reported)."""
    return decode_text(data, label).text


def decode_text(data: bytes, label: str = "input") -> DecodedText:
    """Decode text bytes (see the module docstring), refusing binary data with a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, replaced = _decode_escaped(data, "utf-16")
        return _checked(DecodedText(text.replace("\0", ""), "UTF-16", replaced, text.count("\0")), label)
    head = data[:BINARY_SNIFF_BYTES]
    if head and head.count(0) / len(head) > MAX_NUL_SHARE:
        raise BinaryFile(f"{label}: this is a binary file, not text; pass an OCR text, PDF or image")
    nul_bytes = data.count(0)
    data = data.replace(b"\0", b"").removeprefix(b"\xef\xbb\xbf")
    try:
        return _checked(DecodedText(data.decode("utf-8"), "UTF-8", 0, nul_bytes), label)
    except UnicodeDecodeError:
        pass
    main = "utf-8" if _mostly_utf8(data) else "gb18030"
    if main == "gb18030":
        try:
            return _checked(DecodedText(data.decode(main), "GB18030", 0, nul_bytes), label)
        except UnicodeDecodeError:
            pass
    decoded = _decode_lines(data, main)
    decoded.nul_bytes = nul_bytes
    if decoded.replaced > MAX_REPLACED_SHARE * len(data):
        decoded = _guess(data, label, nul_bytes)
    return _checked(decoded, label)


def _mostly_utf8(data: bytes) -> bool:
    """Whether UTF-8 reads all but a few of the bytes' non-ASCII bytes (damaged UTF-8, not another encoding)."""
    return _decode_escaped(data, "utf-8")[1] <= UTF8_DAMAGE_SHARE * _non_ascii(data)


def _decode_lines(data: bytes, main: str) -> DecodedText:
    """Each line with the encoding that reads it best (`main` on a tie); undecodable bytes replaced."""
    parts, used, replaced = [], [], 0
    for line in data.splitlines(keepends=True):
        encoding, text, bad = _best_reading(line, main)
        parts.append(text)
        replaced += bad
        if encoding.upper() not in used and not line.isascii():
            used.append(encoding.upper())
    return DecodedText("".join(parts), main.upper(), replaced, 0, used)


def _best_reading(line: bytes, main: str) -> tuple[str, str, int]:
    """(encoding, text, bytes replaced) for one line of bytes.

    A line with few non-ASCII bytes is too short to tell (a GBK line of two
    characters can be valid UTF-8, a cut UTF-8 character valid GBK): it is read
    in `main`, the file's encoding. Otherwise UTF-8 when it reads all but a few
    of the line's non-ASCII bytes; else whichever leaves fewer bytes undecoded
    (`main` on a tie).
    """
    non_ascii = _non_ascii(line)
    if non_ascii < MIN_UTF8_EVIDENCE:
        return main, *_decode_escaped(line, main)
    utf8_text, utf8_bad = _decode_escaped(line, "utf-8")
    if utf8_bad <= UTF8_DAMAGE_SHARE * non_ascii:
        return "utf-8", utf8_text, utf8_bad
    gb_text, gb_bad = _decode_escaped(line, "gb18030")
    if gb_bad < utf8_bad or (gb_bad == utf8_bad and main == "gb18030"):
        return "gb18030", gb_text, gb_bad
    return "utf-8", utf8_text, utf8_bad


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, _NON_ASCII))


def _decode_escaped(data: bytes, encoding: str) -> tuple[str, int]:
    """`data` decoded with each undecodable byte as U+FFFD, and how many bytes those were."""
    text = data.decode(encoding, errors=_ESCAPE_HANDLER)
    replaced = len(_ESCAPED.findall(text))
    return (_ESCAPED.sub("\ufffd", text) if replaced else text), replaced


def _escape_bytes(err: UnicodeDecodeError) -> tuple[str, int]:
    """Like surrogateescape, for any byte: one lone surrogate per undecodable byte, counted later."""
    return "".join(chr(0xDC00 + byte) for byte in err.object[err.start:err.end]), err.end


codecs.register_error(_ESCAPE_HANDLER, _escape_bytes)


def _guess(data: bytes, label: str, nul_bytes: int) -> DecodedText:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryFile(f"{label}: not text in any known encoding (tried UTF-8, GB18030)")
    return DecodedText(str(best), best.encoding, 0, nul_bytes)


def _checked(decoded: DecodedText, label: str) -> DecodedText:
    """Refuse text that is mostly control characters; normalize line ends."""
    sample = decoded.text[:BINARY_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch < " " and ch not in ALLOWED_CONTROLS)
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise BinaryFile(f"{label}: this looks like binary data, not text")
    decoded.text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded


def split_pages(text: str) -> list[str]:
    """Cut text after each page break; the pieces concatenate back to `text`."""
    pages, start = [], 0
    for match in PAGE_BREAK.finditer(text):
        pages.append(text[start:match.end()])
        start = match.end()
    pages.append(text[start:])
    return [p for p in pages if p] or [text]

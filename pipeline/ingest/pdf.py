"""PDF input: every page read from its text layer, or rendered and OCR'd.

The file is opened twice: with PDFium (pypdfium2), which checks it (password,
damage, page count) and renders pages that need OCR, and with pdfplumber, which
reads text layers. Pages are handled one at a time and released before the next,
so memory stays bounded for long documents. A page whose text layer is missing
or unusable, or that pdfplumber cannot parse, is rendered in colour (seals are
told apart from text by their ink) at `IngestOptions.dpi` and read by `pipeline.ingest.scan` with the chosen OCR engine. Problems with the
file become `InputError`s that say what is wrong and what to do.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from pipeline.document import PageText
from pipeline.errors import CorruptFile, EmptyFile, EncryptedPdf, InputError, TooLarge
from pipeline.ingest import IngestOptions
from pipeline.ingest.ocr import engine
from pipeline.ingest.scan import read_scan
from pipeline.ingest.textlayer import read_text_page

log = logging.getLogger(__name__)

MAX_RENDER_PIXELS = 60_000_000   # a page bigger than this at the chosen dpi is refused (A0 at 200 dpi fits)
POINTS_PER_INCH = 72.0


def open_pdfium(path: Path, password: Optional[str]) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError:
        raise diagnose(path, password) from None


def diagnose(path: Path, password: Optional[str]) -> InputError:
    """Why PDFium refused the file, asked of pdfminer (PDFium's error code can be
    left over from an earlier file, and it refuses files without pages)."""
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            pages: Optional[int] = len(pdf.pages)
    except Exception as err:  # pdfminer raises many kinds, wrapped or not
        cause = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
        if isinstance(cause, PDFPasswordIncorrect):
            if password:
                return EncryptedPdf(f"{path}: the password given does not open this PDF; "
                                    "check it and pass the right one with --password")
            return EncryptedPdf(f"{path}: the PDF is encrypted: pass its password with --password")
        if isinstance(cause, PDFEncryptionError):
            return EncryptedPdf(f"{path}: the PDF uses an encryption scheme this product cannot open; "
                                "save an unencrypted copy and process that")
        pages = None
    if pages == 0:
        return EmptyFile(f"{path}: the PDF has no pages")
    return CorruptFile(f"{path}: the PDF is damaged or truncated and cannot be opened; "
                       "get a fresh copy or re-export it")


def open_plumber(path: Path, password: Optional[str]) -> Optional[pdfplumber.PDF]:
    """pdfplumber's view of the file, or None if it cannot parse it (then every page is OCR'd)."""
    try:
        return pdfplumber.open(path, password=password or "")
    except Exception as err:  # pdfminer raises many kinds; PDFium has already accepted the file
        log.warning("%s: text layer unreadable (%s); pages will be OCR'd", path, err)
        return None


def render(document: pdfium.PdfDocument, index: int, dpi: float, path: Path) -> np.ndarray:
    """Page `index` as an RGB image at `dpi`."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        raise CorruptFile(f"{path}: page {index + 1} is damaged and cannot be read; "
                          "get a fresh copy or re-export the PDF") from None
    try:
        width, height = page.get_size()
        scale = dpi / POINTS_PER_INCH
        pixels = width * scale * height * scale
        if pixels > MAX_RENDER_PIXELS:
            raise TooLarge(f"{path}: page {index + 1} is {width / POINTS_PER_INCH:.0f}×"
                           f"{height / POINTS_PER_INCH:.0f} inches, too large to render at {dpi:.0f} dpi; "
                           "pass a lower --dpi or split the page")
        bitmap = page.render(scale=scale, rev_byteorder=True)
        image = np.array(bitmap.to_numpy(), copy=True)
        bitmap.close()
    finally:
        page.close()
    return image[:, :, :3]


def text_layer(plumber: Optional[pdfplumber.PDF], index: int, path: Path) -> Optional[PageText]:
    """The page from its text layer, or None when it has to be OCR'd."""
    if plumber is None:
        return None
    try:
        page = plumber.pages[index]
    except Exception as err:  # a page tree pdfminer cannot follow
        log.warning("%s: page %d has no readable text layer (%s); OCR'ing it", path, index + 1, err)
        return None
    try:
        return read_text_page(page)
    except Exception as err:  # damaged content stream: PDFium may still render it
        log.warning("%s: page %d text layer unreadable (%s); OCR'ing it", path, index + 1, err)
        return None
    finally:
        page.close()


def read_pdf(path: Path, options: IngestOptions) -> list[PageText]:
    document = open_pdfium(path, options.password)
    try:
        count = len(document)
        if count == 0:
            raise EmptyFile(f"{path}: the PDF has no pages")
        plumber = open_plumber(path, options.password)
        try:
            pages = []
            for index in range(count):
                page = text_layer(plumber, index, path)
                if page is None:
                    image = render(document, index, options.dpi, path)
                    page = read_scan(image, options.dpi, engine(options.ocr_engine))
                pages.append(page)
            return pages
        finally:
            if plumber is not None:
                plumber.close()
    finally:
        document.close()

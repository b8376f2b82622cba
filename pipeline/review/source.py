"""The source view of a finding: the page image with the cited values highlighted, or the text file's text.

`page_image` renders one page of a PDF (text layer or scanned) with PDFium, or
one frame of an image file, as a PNG small enough for a browser (about
`RENDER_DPI`, at most `MAX_WIDTH_PX` wide and `MAX_HEIGHT_PX` high), and draws
each evidence box on it as a translucent highlight with an outline. Boxes are in
PDF points from the page's top-left corner (`pipeline.ingest.textlayer` reads
them so, `pipeline.ingest.scan` converts OCR boxes so); on an image file a point
is 72 / dpi of a pixel at the resolution `pipeline.ingest.images.frame_dpi` gave it.

`document_text` is a text file's text as the extraction read it, so evidence
offsets index it; None when the file has changed since (another SHA-256).

Both answer None rather than fail: the file is gone, unreadable, of another
kind, or the page does not exist.
"""
from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.errors import InputError
from pipeline.ingest import IngestOptions, sniff_kind
from pipeline.ingest.images import MAX_IMAGE_PIXELS, frame_dpi
from pipeline.ingest.text import read_text

Box = tuple[float, float, float, float]

RENDER_DPI = 110
MAX_WIDTH_PX = 1000
MAX_HEIGHT_PX = 2000
#: A multi-frame image is read frame by frame up to the page asked: no further than this.
MAX_FRAMES = 500
POINTS_PER_INCH = 72.0
HIGHLIGHT_FILL = (255, 196, 0, 80)     # translucent amber
HIGHLIGHT_OUTLINE = (214, 48, 39, 255)  # red
OUTLINE_PX = 2
#: PDFium is not thread-safe, and the pages are served from a pool of threads: one page at a time.
_PDFIUM = threading.Lock()


def page_image(document_path: str, page: int, boxes: list[Box]) -> Optional[bytes]:
    """Page `page` (from 1) of the PDF or image at `document_path` as PNG, `boxes` highlighted."""
    path = Path(document_path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    if page < 1 or not head:
        return None
    kind = sniff_kind(path, head)
    try:
        if kind == "pdf":
            rendered = _pdf_page(path, page)
        elif kind == "image":
            rendered = _image_page(path, page)
        else:
            return None
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None
    if rendered is None:
        return None
    image, pixels_per_point = rendered
    return _png(_highlighted(image, boxes, pixels_per_point))


def _fit(width: float, height: float, scale: float) -> float:
    """`scale` reduced so that `width` × `height` fits the rendering limits."""
    return min(scale, MAX_WIDTH_PX / width, MAX_HEIGHT_PX / height)


def _pdf_page(path: Path, page: int) -> Optional[tuple[Image.Image, float]]:
    """(the page as an RGB image, pixels per point), or None."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:  # damaged, encrypted, not a PDF after all
            return None
        try:
            if page > len(document):
                return None
            pdf_page = document[page - 1]
            try:
                width, height = pdf_page.get_size()
                if width <= 0 or height <= 0:
                    return None
                scale = _fit(width, height, RENDER_DPI / POINTS_PER_INCH)
                bitmap = pdf_page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                pdf_page.close()
        except pdfium.PdfiumError:
            return None
        finally:
            document.close()
    return image, scale


def _image_page(path: Path, page: int) -> Optional[tuple[Image.Image, float]]:
    """(frame `page` upright as an RGB image, pixels per point), or None."""
    if page > MAX_FRAMES:
        return None
    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number < page:
                    continue
                if frame.width * frame.height > MAX_IMAGE_PIXELS:
                    return None
                dpi = frame_dpi(frame, IngestOptions().dpi)
                upright = ImageOps.exif_transpose(frame).convert("RGB")
                factor = _fit(upright.width, upright.height, min(1.0, RENDER_DPI / dpi))
                size = (max(1, round(upright.width * factor)), max(1, round(upright.height * factor)))
                return upright.resize(size, Image.LANCZOS), dpi / POINTS_PER_INCH * factor
    except UnidentifiedImageError:
        return None
    return None


def _highlighted(image: Image.Image, boxes: list[Box], pixels_per_point: float) -> Image.Image:
    """`image` with each box (in points) filled translucently and outlined."""
    if not boxes:
        return image
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x0, y0, x1, y1 in boxes:
        left, right = sorted((x0 * pixels_per_point, x1 * pixels_per_point))
        top, bottom = sorted((y0 * pixels_per_point, y1 * pixels_per_point))
        draw.rectangle((left - OUTLINE_PX, top - OUTLINE_PX, right + OUTLINE_PX, bottom + OUTLINE_PX),
                       fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_OUTLINE, width=OUTLINE_PX)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def document_text(document_path: str, sha256: Optional[str] = None) -> Optional[str]:
    """The text of the text file at `document_path` as the extraction read it; None for another
    kind of file, a file that cannot be read, or one whose content no longer has `sha256`."""
    path = Path(document_path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
        if sniff_kind(path, head) != "text":
            return None
        pages, _ = read_text(path)  # refuses a file too large to be a contract
        if sha256 is not None and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            return None
    except (OSError, InputError):
        return None
    return "".join(page.text for page in pages).replace("\0", "")

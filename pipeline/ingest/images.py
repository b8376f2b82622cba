"""Image input: PNG, JPEG, TIFF (multi-page included), BMP and WebP pages, OCR'd.

Each frame is loaded on its own (bounded memory for long TIFFs), turned upright by
its EXIF orientation, flattened onto white, kept in colour (RGB) when it has
colour (seals are found by their ink) or else converted to grayscale, and read by
`pipeline.ingest.scan`. The image's resolution (its dpi tag, else
`IngestOptions.dpi`, unless that gives a page no paper has) converts pixel boxes
to points. Pillow's decompression-bomb limit is set here: a bigger image is
refused as `TooLarge` before it is decoded.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.document import PageText
from pipeline.errors import CorruptFile, TooLarge, UnsupportedType
from pipeline.ingest import IngestOptions
from pipeline.ingest.ocr import engine
from pipeline.ingest.scan import read_scan

MAX_IMAGE_PIXELS = 100_000_000   # about A3 at 600 dpi; Pillow refuses anything bigger
MIN_PAGE_INCHES = 3.0            # a page's long side is between these at the resolution assumed
MAX_PAGE_INCHES = 17.0           # (A3 is 16.5 inches long) ...
A4_LONG_SIDE_INCHES = 11.69      # ... else the image is taken for an A4 page

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def too_large(path: Path) -> TooLarge:
    return TooLarge(f"{path}: the image is larger than {MAX_IMAGE_PIXELS // 1_000_000} megapixels; "
                    "scan it at 300 dpi or less, or split it into pages")


def frame_dpi(frame: Image.Image, default: float) -> float:
    """The frame's resolution: its dpi tag, else `default`; if that makes the page
    smaller or larger than paper comes (a camera's 72 dpi tag), the resolution at
    which the image's long side is the long side of A4."""
    dpi = frame.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi)
    except (TypeError, ValueError, IndexError):
        value = default
    if value <= 0:
        value = default
    long_side = max(frame.width, frame.height)
    if MIN_PAGE_INCHES <= long_side / value <= MAX_PAGE_INCHES:
        return value
    return long_side / A4_LONG_SIDE_INCHES


COLOUR_MODES = {"RGB", "RGBA", "RGBX", "P", "PA", "CMYK", "YCbCr", "LAB", "HSV"}


def pixels(frame: Image.Image) -> np.ndarray:
    """The frame upright and flattened onto white, as 8-bit RGB if it is in colour,
    else as 8-bit gray."""
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(frame, dtype=np.float64)
        return np.clip(values / 256 if values.max() > 255 else values, 0, 255).astype(np.uint8)
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        frame = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return np.asarray(frame.convert("RGB" if frame.mode in COLOUR_MODES else "L"))


def frames(path: Path, default_dpi: float) -> Iterator[tuple[np.ndarray, float]]:
    """Each frame of the file as a pixel array with its resolution, decoded one at a time."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                for frame in ImageSequence.Iterator(image):
                    if frame.width * frame.height > MAX_IMAGE_PIXELS:
                        raise too_large(path)
                    yield pixels(frame), frame_dpi(frame, default_dpi)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large(path) from None
    except UnidentifiedImageError:
        raise UnsupportedType(f"{path}: not an image this product can read; "
                              "convert it to PNG, JPEG or TIFF") from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise CorruptFile(f"{path}: the image is damaged or truncated ({err}); "
                          "get a fresh copy or re-scan it") from None


def read_image(path: Path, options: IngestOptions) -> list[PageText]:
    ocr = engine(options.ocr_engine)
    return [read_scan(image, dpi, ocr) for image, dpi in frames(path, options.dpi)]

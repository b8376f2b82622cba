"""Turn a text-layer PDF into an image-only "scanned" PDF.

Each page is rasterized at 200 dpi in grayscale and given the marks of a real
scan: paper tone and uneven light, a slight rotation (within ±0.8°) and shift,
noise and specks, a slight blur and JPEG compression. The pages are saved as an
image-only PDF with Pillow. Deterministic for a given seed.
"""
from __future__ import annotations

import io
import random
from pathlib import Path

DPI = 200
MAX_ANGLE = 0.8
MAX_SHIFT_PX = 14
JPEG_QUALITY = (38, 55)


def _degrade(page, rng: random.Random):
    import numpy as np
    from PIL import Image, ImageFilter

    paper = rng.randint(228, 246)
    page = page.rotate(rng.uniform(-MAX_ANGLE, MAX_ANGLE), resample=Image.BICUBIC, fillcolor=255,
                       translate=(rng.randint(-MAX_SHIFT_PX, MAX_SHIFT_PX), rng.randint(-MAX_SHIFT_PX, MAX_SHIFT_PX)))
    pixels = np.asarray(page, dtype=np.float32) * (paper / 255.0)
    h, w = pixels.shape
    noise = np.random.default_rng(rng.randrange(1 << 32))
    light = np.linspace(rng.uniform(-12, 0), rng.uniform(0, 12), w, dtype=np.float32)
    pixels += light[None, :] + noise.normal(0, 5, size=(h, w)).astype(np.float32)
    for _ in range(rng.randint(20, 80)):  # specks
        y, x = noise.integers(0, h - 3), noise.integers(0, w - 3)
        pixels[y:y + noise.integers(1, 4), x:x + noise.integers(1, 4)] = rng.randint(40, 120)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(*JPEG_QUALITY))
    buffer.seek(0)
    return Image.open(buffer)


def scan_pdf(source: Path, target: Path, seed: int) -> None:
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(source))
    try:
        pages = [_degrade(pdf[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), rng)
                 for i in range(len(pdf))]
    finally:
        pdf.close()
    pages[0].save(target, "PDF", resolution=DPI, save_all=True, append_images=pages[1:],
                  creationDate=None, modDate=None)  # no timestamps: reproducible bytes

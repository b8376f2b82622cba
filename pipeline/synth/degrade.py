"""Scans as archives hold them: a text-layer PDF → a scanned PDF with chosen wear.

`degrade_pdf(source, target, degradations, seed)` renders each page in colour and
applies, in order, the degradations asked for (`DEGRADATIONS`; "all" means every
one), on top of a plain scan's marks (paper tone, noise):

- `photocopy`: faded, uneven toner, thin strokes broken, grey speckle and a
  binding shadow down one edge;
- `handwriting`: pen scribbles over the signature lines and a handwritten date
  beside them;
- `seals`: red (sometimes blue) round official seals — ring, star, the unit's name
  curved along the ring — over the signature block and over the total or the last
  rows of a table, and a half seal (骑缝章) at the edge of every page;
- `skew`: the page rotated by up to ±1.5°;
- `jpeg150`: scanned at 150 dpi and saved as JPEG of quality 35–50 (else 200 dpi,
  quality 85).

Where the seals go is read from the source's text layer (`SIGNATURE_ANCHORS`,
`TOTAL_ANCHORS`, pdfplumber's tables). Pages keep their colour when they carry
seals; otherwise they are saved in grayscale. The same seed gives the same bytes.

Run as `python -m pipeline.synth.degrade SOURCE TARGET --with seals,skew --seed 3`.
"""
from __future__ import annotations

import argparse
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DEGRADATIONS = ("seals", "skew", "jpeg150", "photocopy", "handwriting")
CLEAN_DPI = 200
LOW_DPI = 150
CLEAN_JPEG_QUALITY = 85
LOW_JPEG_QUALITY = (35, 50)
MAX_SKEW_DEG = 1.5
POINTS_PER_INCH = 72.0

SEAL_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SEAL_DIAMETER_MM = (38.0, 42.0)
SEAL_RED = (214, 36, 40)
SEAL_BLUE = (38, 70, 190)
BLUE_SEAL_SHARE = 0.2            # share of seals stamped in blue ink
SEAL_UNITS = (                   # invented units: the text curved along a seal's ring
    "青禾市公共资源服务中心", "澜桥县数据管理办公室", "北岭数智科技有限公司",
    "云汀信息技术服务有限公司", "柏川区行政服务中心", "南渚网络科技股份有限公司",
)
SEAL_FOOTERS = ("合同专用章", "", "财务专用章")
SIGNATURE_ANCHORS = ("盖章", "签章", "公章", "签字")   # a short line with one of these is a signature line
SIGNATURE_LINE_MAX_CHARS = 14
TOTAL_ANCHORS = ("合计", "总计", "总价", "小计")        # a table row starting with one of these holds a total
PEN_COLOURS = ((20, 20, 30), (25, 40, 120))
HANDWRITTEN_DATES = ("2023.6.18", "2024年3月9日", "2022/11/2")
PAPER_TONE = (232, 248)
NOISE_SIGMA = 4.0


@dataclass(frozen=True)
class Anchor:
    """A place on a page, in PDF points (top-left origin), where a seal or pen mark goes."""

    page: int
    x: float
    y: float
    kind: str   # "signature" or "total"


def parse_degradations(text: str) -> tuple[str, ...]:
    """Names from a comma-separated list ("all" is every one, "clean" none)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if "all" in names:
        return DEGRADATIONS
    unknown = [n for n in names if n not in DEGRADATIONS and n != "clean"]
    if unknown:
        raise ValueError(f"unknown degradation {', '.join(unknown)}: choose from clean, all, "
                         f"{', '.join(DEGRADATIONS)}")
    return tuple(n for n in DEGRADATIONS if n in names)


# -- where seals go -------------------------------------------------------------------
def anchors(source: Path) -> list[Anchor]:
    """Signature lines and total rows (or a table's last row) of the text-layer PDF."""
    import pdfplumber

    found: list[Anchor] = []
    with pdfplumber.open(source) as pdf:
        for index, page in enumerate(pdf.pages):
            for line in page.extract_text_lines():
                text = line["text"].strip()
                if len(text) <= SIGNATURE_LINE_MAX_CHARS and any(a in text for a in SIGNATURE_ANCHORS):
                    found.append(Anchor(index, line["x1"] + 40, (line["top"] + line["bottom"]) / 2, "signature"))
                elif text.startswith(TOTAL_ANCHORS):
                    found.append(Anchor(index, (line["x0"] + line["x1"]) / 2, line["top"], "total"))
            for table in page.find_tables():
                x0, _, x1, bottom = table.bbox
                found.append(Anchor(index, x0 + (x1 - x0) * 0.7, bottom - 12, "total"))
    return found


def seal_places(found: Sequence[Anchor], rng: random.Random) -> list[Anchor]:
    """Every signature line gets a seal; one total or table end gets one too."""
    signatures = [a for a in found if a.kind == "signature"]
    totals = [a for a in found if a.kind == "total"]
    return signatures + ([rng.choice(totals)] if totals else [])


# -- drawing --------------------------------------------------------------------------
def font(size: int) -> ImageFont.FreeTypeFont:
    if not SEAL_FONT.is_file():
        raise FileNotFoundError(f"CJK font not found: {SEAL_FONT}; run scripts/setup-system.sh")
    return ImageFont.truetype(str(SEAL_FONT), size)


def star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def seal_alpha(diameter: int, rng: random.Random) -> Image.Image:
    """The ink coverage (L, 0..255) of a round seal: ring, star, curved name, footer."""
    layer = Image.new("L", (diameter, diameter), 0)
    draw = ImageDraw.Draw(layer)
    ring = max(3, diameter // 48)
    centre = diameter / 2
    draw.ellipse((ring, ring, diameter - ring, diameter - ring), outline=255, width=ring)
    draw.polygon(star(centre, centre, diameter * 0.15), fill=255)
    name = rng.choice(SEAL_UNITS)
    size = int(diameter * 0.13)
    glyph_font = font(size)
    text_radius = centre - ring * 2.5 - size * 0.6
    span = math.radians(min(250.0, 22.0 * len(name)))
    for i, char in enumerate(name):
        angle = -span / 2 + span * (i + 0.5) / len(name)        # 0 is straight up
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), char, fill=255, font=glyph_font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
        x = centre + text_radius * math.sin(angle) - size
        y = centre - text_radius * math.cos(angle) - size
        layer.paste(255, (int(x), int(y)), glyph)
    footer = rng.choice(SEAL_FOOTERS)
    if footer:
        draw.text((centre, centre + diameter * 0.27), footer, fill=255, font=font(int(size * 0.8)), anchor="mm")
    return layer


def inked(alpha: Image.Image, rng: random.Random) -> np.ndarray:
    """Coverage 0..1 with a stamp's uneven ink: lighter patches and a few gaps."""
    coverage = np.asarray(alpha, dtype=np.float32) / 255.0
    noise = np.random.default_rng(rng.randrange(1 << 32))
    h, w = coverage.shape
    patches = noise.uniform(0.55, 1.0, size=(max(2, h // 24), max(2, w // 24))).astype(np.float32)
    patches = np.asarray(Image.fromarray(patches).resize((w, h), Image.BICUBIC))
    speckle = noise.uniform(0.75, 1.0, size=(h, w)).astype(np.float32)
    return np.clip(coverage * patches * speckle, 0.0, 1.0)


def stamp(page: np.ndarray, coverage: np.ndarray, colour: tuple[int, int, int], cx: int, cy: int) -> None:
    """Multiply the ink onto the page (RGB float) centred at (cx, cy), clipped to the page."""
    h, w = coverage.shape
    x0, y0 = cx - w // 2, cy - h // 2
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page.shape[1], x0 + w), min(page.shape[0], y0 + h)
    if px0 >= px1 or py0 >= py1:
        return
    cover = coverage[py0 - y0:py1 - y0, px0 - x0:px1 - x0, None]
    tint = np.asarray(colour, dtype=np.float32) / 255.0
    page[py0:py1, px0:px1] *= 1.0 - cover * (1.0 - tint)


def add_seals(page: np.ndarray, places: Iterable[Anchor], dpi: float, rng: random.Random) -> None:
    """Seals over the given places and a half seal at the page's right edge."""
    scale = dpi / POINTS_PER_INCH
    mm = dpi / 25.4
    for place in list(places) + [None]:
        diameter = int(rng.uniform(*SEAL_DIAMETER_MM) * mm)
        coverage = inked(seal_alpha(diameter, rng).rotate(rng.uniform(-25, 25), resample=Image.BICUBIC), rng)
        colour = SEAL_BLUE if rng.random() < BLUE_SEAL_SHARE else SEAL_RED
        if place is None:   # 骑缝章: half of a seal stamped across the edge of the stacked pages
            cx, cy = page.shape[1], int(page.shape[0] * rng.uniform(0.35, 0.65))
        else:
            cx = int(place.x * scale + rng.uniform(-8, 8) * mm)
            cy = int(place.y * scale + rng.uniform(-6, 6) * mm)
        stamp(page, coverage, colour, cx, cy)


def add_handwriting(page: np.ndarray, places: Iterable[Anchor], dpi: float, rng: random.Random) -> None:
    """A signature scribble on each signature line and a handwritten date beside it."""
    scale = dpi / POINTS_PER_INCH
    mm = dpi / 25.4
    image = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for place in places:
        colour = rng.choice(PEN_COLOURS)
        x, y = place.x * scale - 20 * mm, place.y * scale
        points = [(x + i * 1.2 * mm, y + math.sin(i * rng.uniform(0.6, 1.2)) * rng.uniform(1.5, 3.5) * mm)
                  for i in range(rng.randint(18, 30))]
        draw.line(points, fill=colour, width=max(2, int(0.4 * mm)), joint="curve")
        date = Image.new("L", (int(60 * mm), int(9 * mm)), 0)
        ImageDraw.Draw(date).text((0, 0), rng.choice(HANDWRITTEN_DATES), fill=255, font=font(int(5 * mm)))
        date = date.rotate(rng.uniform(-6, 6), resample=Image.BICUBIC, expand=True)
        image.paste(colour, (int(x + 45 * mm), int(y + 4 * mm)), date)
    page[:] = np.asarray(image, dtype=np.float32)


def photocopy(page: np.ndarray, rng: random.Random) -> np.ndarray:
    """Faded, uneven toner with broken thin strokes, grey speckle and a binding shadow."""
    noise = np.random.default_rng(rng.randrange(1 << 32))
    h, w = page.shape[:2]
    ink = 1.0 - page.mean(axis=2, keepdims=True) / 255.0
    fade = noise.uniform(0.55, 0.95, size=(max(2, h // 160), max(2, w // 160))).astype(np.float32)
    fade = np.asarray(Image.fromarray(fade).resize((w, h), Image.BICUBIC))[..., None]
    dropout = (noise.random(size=(h, w, 1)) < 0.12).astype(np.float32) * (ink < 0.8)
    ink = ink * fade * (1.0 - dropout * 0.7)
    page = 255.0 - ink * 255.0 * np.asarray([1, 1, 1], np.float32)
    speckles = noise.random(size=(h, w)) < 0.0015
    page[speckles] *= noise.uniform(0.45, 0.8, size=(int(speckles.sum()), 1)).astype(np.float32)
    width = int(w * rng.uniform(0.06, 0.1))
    shadow = np.ones(w, np.float32)
    shadow[:width] = 0.55 + 0.45 * np.linspace(0, 1, width) ** 1.5
    if rng.random() < 0.5:
        shadow = shadow[::-1]
    return page * shadow[None, :, None]


def scan_marks(page: np.ndarray, rng: random.Random) -> np.ndarray:
    """Paper tone and sensor noise of any scan."""
    noise = np.random.default_rng(rng.randrange(1 << 32))
    page = page * (rng.randint(*PAPER_TONE) / 255.0)
    return page + noise.normal(0, NOISE_SIGMA, size=page.shape[:2])[..., None].astype(np.float32)


def degrade_page(page: Image.Image, places: Sequence[Anchor], degradations: Sequence[str], dpi: float,
                 rng: random.Random) -> Image.Image:
    """One rendered RGB page with the marks asked for, ready to save (RGB or L)."""
    pixels = np.asarray(page.convert("RGB"), dtype=np.float32)
    if "photocopy" in degradations:
        pixels = photocopy(pixels, rng)
    signatures = [p for p in places if p.kind == "signature"]
    if "handwriting" in degradations and signatures:
        add_handwriting(pixels, signatures, dpi, rng)
    coloured = "seals" in degradations or ("handwriting" in degradations and bool(signatures))
    if "seals" in degradations:
        add_seals(pixels, places, dpi, rng)
    pixels = scan_marks(pixels, rng)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    if "skew" in degradations:
        angle = rng.uniform(0.4, MAX_SKEW_DEG) * rng.choice((-1, 1))
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=(240, 240, 240))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.6)))
    if not coloured:
        image = image.convert("L")
    low = "jpeg150" in degradations
    quality = rng.randint(*LOW_JPEG_QUALITY) if low else CLEAN_JPEG_QUALITY
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer)


def degrade_pdf(source: Path, target: Path, degradations: Sequence[str], seed: int) -> None:
    """Write `target`: the scanned pages of `source` with `degradations`, deterministic by seed."""
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    dpi = LOW_DPI if "jpeg150" in degradations else CLEAN_DPI
    needs_places = "seals" in degradations or "handwriting" in degradations
    places = seal_places(anchors(source), rng) if needs_places else []
    pdf = pdfium.PdfDocument(str(source))
    try:
        pages = []
        for index in range(len(pdf)):
            rendered = pdf[index].render(scale=dpi / POINTS_PER_INCH).to_pil()
            on_page = [p for p in places if p.page == index]
            pages.append(degrade_page(rendered, on_page, degradations, dpi, rng))
    finally:
        pdf.close()
    pages[0].save(target, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], title=source.stem,
                  creationDate=None, modDate=None)  # no timestamps, no target name: reproducible bytes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="text-layer PDF")
    parser.add_argument("target", type=Path, help="scanned PDF to write")
    parser.add_argument("--with", dest="degradations", default="all",
                        help=f"comma-separated: clean, all, {', '.join(DEGRADATIONS)} (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        chosen = parse_degradations(args.degradations)
    except ValueError as err:
        parser.error(str(err))
    degrade_pdf(args.source, args.target, chosen, args.seed)


if __name__ == "__main__":
    main()

"""OCR engines behind one small interface: an upright page image in, tokens out.

`engine(name)` returns a process-wide instance of `RapidOcrEngine` (the default:
PP-OCR detection and recognition models bundled in the `rapidocr` wheel, run by
onnxruntime) or `TesseractEngine` (Tesseract 5 with `chi_sim+eng` from the Debian
packages). `read(image)` takes a grayscale page in pixels and returns one
`layout.Token` per text line or word, each glyph with its box in pixels and the
engine's confidence (0..1); `read_line(image)` reads an image known to hold one
line of text, without looking for where text is.

Both engines run offline. RapidOCR is given the paths of the bundled model files,
so it never resolves a model by name (which would download one that is missing);
its text-line orientation classifier stays off (it turned 9 into 6 in row
numbers; upside-down pages are turned as a whole by `pipeline.ingest.scan`).
RapidOCR turns every detected box taller than wide by a quarter before reading it
(for vertical text); a lone "1" in a table cell has such a box and comes out as
"一", so a box of one or two characters that was turned is read again upright,
widened with paper (`UPRIGHT_MAX_CHARS`).
Each process runs one inference thread (`OCR_THREADS`): parallelism comes from
running one process per core. The RapidOCR settings below trade nothing measurable
in accuracy for speed on contract scans; `scripts/bench_ocr.py` measures both.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Optional, Protocol

import cv2
import numpy as np

from pipeline.document import Box
from pipeline.ingest.layout import COLUMN_GAP_EM, Glyph, Token, is_wide, union

ENGINES = ("rapidocr", "tesseract")
OCR_THREADS = 1
DET_MAX_SIDE_PX = 1344       # RapidOCR detection runs on the printed area scaled to this longest side
DET_UNCLIP_RATIO = 2.0       # how far a detected line box is grown: taller crops, narrower recognizer input
REC_WIDTH_SCALE = 0.85       # the page is narrowed by this before OCR: recognition time grows with
                             # text width, and PP-OCR reads Chinese narrowed this much as well
REC_BATCH = 1                # lines per recognizer call: batches are padded to their widest line,
                             # which on contract pages costs more than batching saves
REC_MIN_WIDTH_PX = 96        # recognizer input is padded to at least this width (RapidOCR: 320,
                             # mostly padding for the short numbers of table cells)
REC_HEIGHT_PX = 48           # the recognizer's fixed input height
MIN_TEXT_SCORE = 0.5         # RapidOCR drops lines recognized with less confidence
TURNED_ASPECT = 1.5          # RapidOCR turns a box at least this many times taller than wide
UPRIGHT_MAX_CHARS = 2        # such a box read as this many characters or fewer is read again upright
RAPIDOCR_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
TESSERACT_LANG = "chi_sim+eng"
TESSERACT_CONFIG = "--psm 3"  # automatic page segmentation: as accurate here as "one block" (6), twice as fast
TESSERACT_LINE_CONFIG = "--psm 7"  # one line of text
TESSERACT_SPACE_EM = 0.3     # gap between two Tesseract words, in line heights, that is a space
TESSERACT_CJK_SPACE_EM = 1.0 # ... between two Chinese characters
TESSERACT_COLUMN_EM = COLUMN_GAP_EM  # ... that separates two pieces of a line (table columns)


class OcrUnavailable(RuntimeError):
    """The OCR engine cannot run in this installation (not a problem of the document)."""


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[Token]:
        """Text of a grayscale page image, with boxes in pixels."""

    def read_line(self, image: np.ndarray) -> Optional[tuple[str, float]]:
        """The text of a grayscale image of one line, and the engine's confidence;
        None where it reads nothing."""


@functools.lru_cache(maxsize=None)
def engine(name: str) -> OcrEngine:
    """The process's instance of the named engine."""
    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "tesseract":
        return TesseractEngine()
    raise ValueError(f"unknown OCR engine {name!r}: choose one of {', '.join(ENGINES)}")


def quad_box(points) -> Box:
    """The axis-aligned box around a detector's quadrilateral."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


# -- RapidOCR -------------------------------------------------------------------------
def bundled_models() -> dict[str, Path]:
    """Paths of the model files inside the installed `rapidocr` package."""
    try:
        import rapidocr
    except ImportError as err:
        raise OcrUnavailable(f"RapidOCR is not installed ({err}): run 'make setup'") from None
    root = Path(rapidocr.__file__).resolve().parent / "models"
    paths = {task: root / file for task, file in RAPIDOCR_MODELS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrUnavailable(f"RapidOCR model files missing: {', '.join(missing)}; reinstall the rapidocr "
                             "wheel (the product never downloads models)")
    return paths


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR
        params: dict[str, object] = {
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.text_score": MIN_TEXT_SCORE,
            "Global.max_side_len": 100_000,       # crops for recognition come from the full-size page
            "Det.limit_type": "max",
            "Det.limit_side_len": DET_MAX_SIDE_PX,
            "Det.unclip_ratio": DET_UNCLIP_RATIO,
            "Rec.rec_batch_num": REC_BATCH,
            "Rec.rec_img_shape": [3, REC_HEIGHT_PX, REC_MIN_WIDTH_PX],
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,   # reuses buffers: a few % faster
            "EngineConfig.onnxruntime.intra_op_num_threads": OCR_THREADS,
            "EngineConfig.onnxruntime.inter_op_num_threads": OCR_THREADS,
        }
        for task, path in bundled_models().items():
            params[f"{task}.model_path"] = str(path)
        self._ocr = RapidOCR(params=params)

    def read(self, image: np.ndarray) -> list[Token]:
        narrow = cv2.resize(image, None, fx=REC_WIDTH_SCALE, fy=1.0, interpolation=cv2.INTER_AREA)
        result = self._ocr(narrow, return_word_box=True, return_single_char_box=True)
        if not result.txts:
            return []
        words = result.word_results if len(result.word_results) == len(result.txts) else [()] * len(result.txts)
        tokens = []
        for text, quad, score, chars in zip(result.txts, result.boxes, result.scores, words):
            x0, y0, x1, y1 = quad_box(quad)
            if len(text.strip()) <= UPRIGHT_MAX_CHARS and y1 - y0 >= TURNED_ASPECT * (x1 - x0):
                upright = self.read_line(widened(narrow[int(y0):int(y1) + 1, int(x0):int(x1) + 1]))
                if upright is None:
                    continue
                text, score, chars = upright[0], upright[1], ()
            tokens.append(rapid_token(text, quad, score, chars, 1 / REC_WIDTH_SCALE))
        return tokens

    def read_line(self, image: np.ndarray) -> Optional[tuple[str, float]]:
        from rapidocr.ch_ppocr_rec import TextRecInput
        result = self._ocr._load_rec_model()(TextRecInput(img=[cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)]))
        text, score = result.txts[0], float(result.scores[0])
        return (text, score) if text.strip() and score >= MIN_TEXT_SCORE else None


def widened(image: np.ndarray) -> np.ndarray:
    """A crop taller than wide padded left and right with its paper to be as wide as
    high (more paper makes the recognizer less sure of a lone digit)."""
    height, width = image.shape[:2]
    pad = max(0, height - width) // 2
    paper = int(np.percentile(image, 90)) if image.size else 255
    return cv2.copyMakeBorder(image, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=paper)


def rapid_token(text: str, quad, score: float, chars, x_scale: float) -> Token:
    """A line with one glyph per character: the recognizer's character boxes and
    scores where they line up with the text, else the line box split by width;
    x coordinates multiplied by `x_scale`."""
    def box(points) -> Box:
        x0, y0, x1, y1 = quad_box(points)
        return (x0 * x_scale, y0, x1 * x_scale, y1)

    ink = [c for c in text if not c.isspace()]
    if len(chars) != len(ink) or any(c[2] is None for c in chars) or [c[0] for c in chars] != ink:
        return Token.spread(text, box(quad), float(score))
    found = iter(chars)
    glyphs = []
    for ch in text:
        if ch.isspace():
            glyphs.append(Glyph(ch, None, None))
        else:
            _, char_score, points = next(found)
            glyphs.append(Glyph(ch, box(points), float(char_score)))
    return Token(glyphs)


# -- Tesseract ------------------------------------------------------------------------
class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        import pytesseract
        os.environ["OMP_THREAD_LIMIT"] = str(OCR_THREADS)   # its default threading is much slower here
        try:
            languages = set(pytesseract.get_languages(config=""))
        except (pytesseract.TesseractNotFoundError, OSError) as err:
            raise OcrUnavailable(f"Tesseract is not installed ({err}): run scripts/setup-system.sh") from None
        missing = set(TESSERACT_LANG.split("+")) - languages
        if missing:
            raise OcrUnavailable(f"Tesseract language data missing: {', '.join(sorted(missing))}; "
                                 "run scripts/setup-system.sh")
        self._tess = pytesseract

    def read(self, image: np.ndarray) -> list[Token]:
        data = self._tess.image_to_data(image, lang=TESSERACT_LANG, config=TESSERACT_CONFIG,
                                        output_type=self._tess.Output.DICT)
        lines: dict[tuple[int, int, int], list[tuple[str, Box, float]]] = {}
        for i, text in enumerate(data["text"]):
            text = text.strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            box = (float(data["left"][i]), float(data["top"][i]),
                   float(data["left"][i] + data["width"][i]), float(data["top"][i] + data["height"][i]))
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append((text, box, conf / 100.0))
        return [token for words in lines.values() for token in tesseract_tokens(words)]

    def read_line(self, image: np.ndarray) -> Optional[tuple[str, float]]:
        data = self._tess.image_to_data(image, lang=TESSERACT_LANG, config=TESSERACT_LINE_CONFIG,
                                        output_type=self._tess.Output.DICT)
        words = [(text.strip(), float(conf) / 100.0) for text, conf in zip(data["text"], data["conf"])
                 if text.strip() and float(conf) >= 0]
        if not words:
            return None
        return "".join(text for text, _ in words), min(conf for _, conf in words)


def tesseract_tokens(words: list[tuple[str, Box, float]]) -> list[Token]:
    """Tesseract's words of one line as tokens, split where the words stand a column
    apart; within a token a space only where the words stand apart (Tesseract splits
    Chinese text into many one-character words)."""
    line_box = union(box for _, box, _ in words)
    em = max(1.0, line_box[3] - line_box[1])
    tokens: list[list[Glyph]] = []
    previous: Optional[Box] = None
    for text, box, conf in sorted(words, key=lambda w: w[1][0]):
        gap = box[0] - previous[2] if previous is not None else None
        if gap is None or gap >= TESSERACT_COLUMN_EM * em:
            tokens.append([])
        elif gap >= (TESSERACT_CJK_SPACE_EM if is_wide(tokens[-1][-1].char) and is_wide(text[0])
                     else TESSERACT_SPACE_EM) * em:
            tokens[-1].append(Glyph(" ", None, None))
        tokens[-1].extend(Token.spread(text, box, conf).glyphs)
        previous = box
    return [Token(glyphs) for glyphs in tokens]

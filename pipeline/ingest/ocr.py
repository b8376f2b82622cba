"""OCR engines behind one small interface: an upright page image in, tokens out.

`engine(name)` returns a process-wide instance of `RapidOcrEngine` (the default:
PP-OCR detection and recognition models bundled in the `rapidocr` wheel, run by
OpenVINO) or `TesseractEngine` (Tesseract 5 with `chi_sim+eng` from the Debian
packages). `read(image)` takes a grayscale page in pixels and returns one
`layout.Token` per text line or word, each glyph with its box in pixels and the
engine's confidence (0..1); `read_line(image)` reads an image known to hold one
line of text, without looking for where text is.

Both engines run offline. The PP-OCR model files are opened by path, so no model
is ever resolved by name (which would download one that is missing); the text-line
orientation classifier stays off (it turned 9 into 6 in row numbers; upside-down
pages are turned as a whole by `pipeline.ingest.scan`). Each process runs one
inference thread (`OCR_THREADS`): parallelism comes from one process per core.

Speed, measured on the five shared seed scans (56 pages at 200 dpi, CPU seconds on
one core, `scripts/bench_ocr_speed.py`): the whole page through RapidOCR and
onnxruntime took 2.78 s/page (detection 0.95, recognition 1.49); now 1.45 s/page at
the same character error rate (0.23%). Detection runs on the page's ink bands
stacked (`pipeline.ingest.bands`; a blank page runs no model) in OpenVINO at bf16
where the CPU has it (0.14 s; the error rate did not move). Lines are recognized in
bf16 (three times faster than f32), and a line where at some step the recognizer's
first choice leads its second by less than `REC_SURE_MARGIN` is read again in f32
(one line in nine): on the seed scans every line whose bf16 reading differed from
the f32 one had a lead under 0.1 somewhere, so the text is what f32 reads. Two
symbols with one NFKC form ("，" and ",") count as one choice, since the text is
normalized to it anyway. Batching lines in one recognizer call was measured slower
at any batch size (the recognizer's cost grows with the padded width), so lines are
read one at a time, their widths in steps of `REC_WIDTH_STEP_PX` so OpenVINO prepares
few input shapes. A smaller detection scale (1024) saved 0.4 s/page but raised the
error rate by a third. The recognizer quantized to int8 (NNCF post-training
quantization, calibrated on the samples' lines) was only 9% faster than bf16 and read
four lines in ten of the seed scans otherwise than f32, so it is not used.

PP-OCR reads a box taller than wide turned by a quarter (for vertical text); a lone
"1" in a table cell has such a box and comes out as "一", so a box of one or two
characters that was turned is read again upright, widened with paper
(`UPRIGHT_MAX_CHARS`).
"""
from __future__ import annotations

import functools
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Optional, Protocol

import cv2
import numpy as np

from pipeline.document import Box
from pipeline.ingest.bands import StackedBands, ink_bands, stack
from pipeline.ingest.layout import COLUMN_GAP_EM, Glyph, Token, is_wide, union

ENGINES = ("rapidocr", "tesseract")
OCR_THREADS = 1
DET_MAX_SIDE_PX = 1344       # RapidOCR detection runs on the printed area scaled to this longest side
DET_STRIDE_PX = 32           # the detector's input is a whole multiple of this
DET_MAX_ASPECT = 8.0         # the detector's input is at most this many times wider than high
DET_UNCLIP_RATIO = 2.0       # how far a detected line box is grown: taller crops, narrower recognizer input
REC_WIDTH_SCALE = 0.85       # the page is narrowed by this before OCR: recognition time grows with
                             # text width, and PP-OCR reads Chinese narrowed this much as well
DET_PRECISION = "bf16"       # OpenVINO's CPU inference precision for detection
REC_PRECISION = "bf16"       # ... for recognition, three times faster than "f32" where the CPU has bf16
REC_SURE_MARGIN = 0.15       # a line where that recognizer's first choice leads its second by less
                             # than this at some step (blank included) could read otherwise in f32,
REC_EXACT_PRECISION = "f32"  # so it is read again in this precision
UNSURE_STEP_PROB = (1 + REC_SURE_MARGIN) / 2   # a likelier first choice leads by at least the margin
MARGIN_CANDIDATES = 4        # the likeliest symbols of a step compared for the margin
REC_WIDTH_STEP_PX = 16       # recognizer input widths are stretched to whole steps of this
REC_MIN_WIDTH_PX = 96        # recognizer input is padded to at least this width (RapidOCR: 320,
                             # mostly padding for the short numbers of table cells)
REC_HEIGHT_PX = 48           # the recognizer's fixed input height
MIN_TEXT_SCORE = 0.5         # lines recognized with less confidence are dropped
TURNED_ASPECT = 1.5          # RapidOCR turns a box at least this many times taller than wide
UPRIGHT_MAX_CHARS = 2        # such a box read as this many characters or fewer is read again upright
LONG_DIGITS = re.compile(r"\d{8}")  # a line with this many digits in a row is read again at full width
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
    """PP-OCR detection on the page's ink bands stacked (`pipeline.ingest.bands`), then
    recognition of every detected line cropped from the page itself."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR
        from rapidocr.cal_rec_boxes import CalRecBoxes
        params: dict[str, object] = {
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Det.limit_type": "max",
            "Det.unclip_ratio": DET_UNCLIP_RATIO,
            "Rec.rec_img_shape": [3, REC_HEIGHT_PX, REC_MIN_WIDTH_PX],
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,   # reuses buffers: a few % faster
            "EngineConfig.onnxruntime.intra_op_num_threads": OCR_THREADS,
            "EngineConfig.onnxruntime.inter_op_num_threads": OCR_THREADS,
        }
        for task, path in bundled_models().items():
            params[f"{task}.model_path"] = str(path)
        ocr = RapidOCR(params=params)
        # RapidOCR's own loaders build the models with the configuration above; the steps
        # between them (which image each model sees) are this engine's own
        self._detector = ocr._load_det_model()
        self._recognizer = ocr._load_rec_model()
        self._detector.session = OpenVinoModel(params["Det.model_path"], DET_PRECISION)
        self._quick_recognizer = OpenVinoModel(params["Rec.model_path"], REC_PRECISION)
        self._exact_recognizer = OpenVinoModel(params["Rec.model_path"], REC_EXACT_PRECISION)
        self._char_boxes = CalRecBoxes()
        self._same = same_symbols(self._recognizer.postprocess_op.character)

    def read(self, image: np.ndarray) -> list[Token]:
        narrow = cv2.resize(image, None, fx=REC_WIDTH_SCALE, fy=1.0, interpolation=cv2.INTER_AREA)
        rows = ink_bands(narrow)
        if not rows:
            return []
        page = cv2.cvtColor(narrow, cv2.COLOR_GRAY2BGR)
        quads = self.detect(stack(page, rows), min(1.0, DET_MAX_SIDE_PX / max(narrow.shape)))
        return self.recognize(page, quads, image)

    def detect(self, stacked: StackedBands, scale: float) -> list[np.ndarray]:
        """Quadrilaterals of the text lines found on the stacked bands, in page pixels,
        in reading order. The detector sees the stack scaled by `scale`, padded with
        white to whole multiples of its 32-pixel stride so it is not stretched."""
        height, width = stacked.image.shape[:2]
        padded_height = max(math.ceil(height * scale / DET_STRIDE_PX) * DET_STRIDE_PX / scale,
                            width / DET_MAX_ASPECT)
        image = cv2.copyMakeBorder(stacked.image, 0, max(0, round(padded_height) - height), 0, 0,
                                   cv2.BORDER_CONSTANT, value=(255, 255, 255))
        self._detector.limit_side_len = max(DET_STRIDE_PX, round(scale * max(image.shape[:2])))
        found = self._detector(image)
        if found.boxes is None:
            return []
        quads = []
        for quad in np.asarray(found.boxes, dtype=np.float32):
            band = stacked.band_at(float(quad[:, 1].mean()))
            quad[:, 1] = stacked.page_y(quad[:, 1], band)
            quads.append(quad)
        return list(self._detector.sorted_boxes(np.array(quads)))

    def recognize(self, page: np.ndarray, quads: list[np.ndarray], full_width: np.ndarray) -> list[Token]:
        """One token per line the recognizer reads with confidence, x coordinates
        widened back by `REC_WIDTH_SCALE`. A line read with a long run of digits is
        read again on the page at its full width (`full_width`, grayscale): in a
        narrowed crop a digit repeated ("11001", "0000") has too few steps to be
        read twice and collapses into one."""
        from rapidocr.ch_ppocr_rec import TextRecOutput
        from rapidocr.utils.process_img import get_rotate_crop_image
        if not quads:
            return []
        crops = [get_rotate_crop_image(page, quad.copy()) for quad in quads]
        read = [self.recognize_crop(crop) for crop in crops]
        for i, quad in enumerate(quads):
            x0, y0, x1, y1 = quad_box(quad)
            if y1 - y0 >= TURNED_ASPECT * (x1 - x0) and len(read[i][0][0].strip()) <= UPRIGHT_MAX_CHARS:
                crops[i] = widened(page[int(y0):int(y1) + 1, int(x0):int(x1) + 1])
                read[i] = self.recognize_crop(crops[i])
            elif LONG_DIGITS.search(read[i][0][0]):
                wide = quad.copy()
                wide[:, 0] /= REC_WIDTH_SCALE
                crop = get_rotate_crop_image(full_width, wide)
                read[i] = self.recognize_crop(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
        kept = [i for i, ((text, score), _) in enumerate(read) if text.strip() and score >= MIN_TEXT_SCORE]
        if not kept:
            return []
        lines = TextRecOutput(txts=tuple(read[i][0][0] for i in kept),
                              scores=[read[i][0][1] for i in kept],
                              word_results=tuple(read[i][1] for i in kept))
        lines = self._char_boxes([crops[i] for i in kept], np.array([quads[i] for i in kept]), lines,
                                 return_single_char_box=True)
        return [rapid_token(text, quads[i], score, [c for c in chars if c[2] is not None], 1 / REC_WIDTH_SCALE)
                for i, text, score, chars in zip(kept, lines.txts, lines.scores, lines.word_results)]

    def recognize_crop(self, crop: np.ndarray) -> tuple[tuple[str, float], object]:
        """The recognizer's text, confidence and character positions for one line's
        colour crop: the quick reading, or the exact one where the quick one is unsure."""
        batch, aspect, padded_aspect = recognizer_input(crop)
        scores = self._quick_recognizer(batch)
        if min_margin(scores[0], self._same) < REC_SURE_MARGIN:
            scores = self._exact_recognizer(batch)
        lines, words = self._recognizer.postprocess_op(scores, True,
                                                       wh_ratio_list=[aspect], max_wh_ratio=padded_aspect)
        return lines[0], words[0]

    def read_line(self, image: np.ndarray) -> Optional[tuple[str, float]]:
        (text, score), _ = self.recognize_crop(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
        return (text, float(score)) if text.strip() and score >= MIN_TEXT_SCORE else None


def min_margin(steps: np.ndarray, same: np.ndarray) -> float:
    """The least lead, over a reading's steps, of the likeliest symbol over the next
    one; symbols that `same` maps to one class ("，" and ",") count as one. A step whose
    likeliest symbol has probability p leads by at least 2p - 1, so only the steps
    with p below `UNSURE_STEP_PROB` are looked at closely."""
    top = steps.max(axis=1)
    unsure = top < UNSURE_STEP_PROB
    least = float(2 * top[~unsure].min() - 1) if not unsure.all() else 1.0
    for row in np.flatnonzero(unsure):
        candidates = np.argpartition(steps[row], -MARGIN_CANDIDATES)[-MARGIN_CANDIDATES:]
        merged: dict[int, float] = {}
        for index in candidates:
            merged[int(same[index])] = merged.get(int(same[index]), 0.0) + float(steps[row, index])
        first, second = (sorted(merged.values(), reverse=True) + [0.0])[:2]
        least = min(least, first - second)
    return min(least, 1.0)


def same_symbols(characters: list[str]) -> np.ndarray:
    """For each of the recognizer's symbols, the index of the first symbol with its
    NFKC form (the full- and half-width forms of a mark are one)."""
    first: dict[str, int] = {}
    return np.array([first.setdefault(unicodedata.normalize("NFKC", ch), i) for i, ch in enumerate(characters)])


def widened(image: np.ndarray) -> np.ndarray:
    """A crop taller than wide padded left and right with its paper to be as wide as
    high (more paper makes the recognizer less sure of a lone digit)."""
    height, width = image.shape[:2]
    pad = max(0, height - width) // 2
    paper = int(np.percentile(image, 90)) if image.size else 255
    return cv2.copyMakeBorder(image, 0, 0, pad, pad, cv2.BORDER_CONSTANT,
                              value=(paper,) * (image.shape[2] if image.ndim == 3 else 1))


def recognizer_input(crop: np.ndarray) -> tuple[np.ndarray, float, float]:
    """A line's crop scaled to the recognizer's height and normalized as PP-OCR expects.
    Its width is stretched to a whole number of `REC_WIDTH_STEP_PX` (OpenVINO prepares
    every input shape once, and widths in steps recur from line to line); a crop
    narrower than `REC_MIN_WIDTH_PX` is padded with zeros, as in PP-OCR's training.
    Also the widths of the crop and of the input, in heights."""
    height, width = crop.shape[:2]
    scaled_width = max(1, math.ceil(REC_HEIGHT_PX * width / height))
    if scaled_width > REC_MIN_WIDTH_PX:
        scaled_width = math.ceil(scaled_width / REC_WIDTH_STEP_PX) * REC_WIDTH_STEP_PX
    padded_width = max(REC_MIN_WIDTH_PX, scaled_width)
    batch = np.zeros((1, 3, REC_HEIGHT_PX, padded_width), np.float32)
    scaled = cv2.resize(crop, (scaled_width, REC_HEIGHT_PX)).astype(np.float32) / 127.5 - 1.0
    batch[0, :, :, :scaled_width] = scaled.transpose(2, 0, 1)
    return batch, scaled_width / REC_HEIGHT_PX, padded_width / REC_HEIGHT_PX


@functools.lru_cache(maxsize=None)
def compiled_request(path: str, precision: str):
    """An inference request on the model compiled by OpenVINO for one CPU thread, one
    per model and precision for the life of the process. Compiling a model installs an
    alternate signal stack on the thread and freeing it puts back the one before, so
    models freed out of order left a freed stack in place, and the next signal (a
    batch's SIGALRM time limit) crashed the process; models that live as long as the
    process never do."""
    try:
        import openvino
    except ImportError as err:
        raise OcrUnavailable(f"OpenVINO is not installed ({err}): run 'make setup'") from None
    compiled = openvino.Core().compile_model(path, "CPU", {
        "INFERENCE_NUM_THREADS": OCR_THREADS, "NUM_STREAMS": 1,
        "PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision})
    return compiled.create_infer_request()


class OpenVinoModel:
    """An ONNX model run by OpenVINO (`compiled_request`), called as RapidOCR calls its
    onnxruntime sessions: a batch of images in, the first output out. The output is the
    model's own buffer (a recognizer's is megabytes), valid until its next call."""

    def __init__(self, path: str, precision: str) -> None:
        self._request = compiled_request(path, precision)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        self._request.infer([batch])
        return self._request.get_output_tensor().data


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

"""Benchmark: where the CPU time of one scanned page goes, on one core.

Every page of the scanned PDFs is rendered at `--dpi` and read by `read_scan` in this
one process, one page after the other (the latency of one document on one core).
Prints CPU seconds per page (time.process_time, so other processes on the machine do
not count), split into text detection, quick (bf16) recognition, exact (f32) reading
of the lines the quick one is unsure of, and the rest (resolution, deskew, rules,
crops, character boxes, layout); the share of lines read again; and the character
error rate against the text layer of the matching text PDF. `--exact-only` reads
every line in the exact precision, the cost without the quick recognizer. With
`--gold`, also extracts the records of the scans and prints their F1 per file, as
scored by the given scorer. The pages are read twice (`--passes`): OpenVINO prepares
each new recognizer input width once per process, so the second pass shows what a
long run costs per page. With `--baseline`, the same pages also go through stock
RapidOCR (the whole page, onnxruntime, one thread: the reading before this project's
changes) and the ratio is printed: CPU seconds per page move with the host (a shared
machine ran both 1.6 to 1.9 times slower on one day than on another), the ratio
does not.

Default input: the shared scans (`../shared/scans/scan200` against
`../shared/scans/text`), else the scans of samples/ against their text PDFs. Measured on the five shared seed scans (56 pages, 200 dpi):
2.78 s/page with the whole page through onnxruntime (commit 7bc91ee) and 1.45
s/page now (second pass), at the same character error rate (0.23%).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


class Timed:
    """A model wrapper that adds its CPU seconds and calls to a tally."""

    def __init__(self, model, tally: dict[str, float], key: str) -> None:
        self.model, self.tally, self.key = model, tally, key

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        started = time.process_time()
        result = self.model(batch)
        self.tally[self.key] += time.process_time() - started
        self.tally[self.key + " calls"] += 1
        return result


def page_images(pdf_path: Path, dpi: int):
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    for index in range(len(pdf)):
        image = pdf[index].render(scale=dpi / 72, grayscale=True).to_numpy().copy()
        yield index, image.reshape(image.shape[0], image.shape[1])
    pdf.close()


def reference_pages(pdf_path: Path) -> list[str]:
    from pipeline.ingest import IngestOptions
    from pipeline.ingest.pdf import read_pdf
    return [page.text for page in read_pdf(pdf_path, IngestOptions())]


def text_twin(scan: Path, texts: Path) -> Path:
    """The text-layer PDF of a scan: same name in `texts`, or samples/' syn_0001_text.pdf
    beside syn_0001_scan.pdf."""
    return texts / scan.name.replace("_scan.pdf", "_text.pdf")


def bench(scans: list[Path], texts: Path, dpi: int, exact_only: bool, passes: int) -> float:
    """Print the reading's CPU time per page, split by model, and its error rate, for
    each pass; return the last pass's CPU seconds per page."""
    from pipeline.ingest.cer import errors
    from pipeline.ingest.ocr import engine
    from pipeline.ingest.scan import read_scan
    ocr = engine("rapidocr")
    ocr.read(np.full((64, 256), 255, np.uint8))
    tally: dict[str, float] = {}
    ocr._detector.session = Timed(ocr._detector.session, tally, "det")
    ocr._exact_recognizer = Timed(ocr._exact_recognizer, tally, "exact")
    ocr._quick_recognizer = ocr._exact_recognizer if exact_only else Timed(ocr._quick_recognizer, tally, "quick")
    pages = [(scan, index, image) for scan in scans for index, image in page_images(scan, dpi)]
    references = {scan: reference_pages(text_twin(scan, texts)) if text_twin(scan, texts).exists() else []
                  for scan in scans}
    print(f"{len(pages)} pages at {dpi} dpi, one process, one inference thread"
          f"{', every line read in the exact precision' if exact_only else ''}")
    for run in range(1, passes + 1):
        tally.update({k: 0.0 for k in ("det", "det calls", "quick", "quick calls", "exact", "exact calls")})
        edits = length = 0
        per_page = []
        for scan, index, image in pages:
            started = time.process_time()
            text = read_scan(image, dpi, ocr).text
            per_page.append(time.process_time() - started)
            if index < len(references[scan]):
                e, n = errors(text, references[scan][index])
                edits, length = edits + e, length + n
        count, total = len(per_page), sum(per_page)
        lines = tally["quick calls"] or tally["exact calls"]
        print(f"pass {run}{' (input widths already prepared)' if run > 1 else ''}")
        print(f"  CPU s/page     {total / count:6.2f}   (median {statistics.median(per_page):.2f}, "
              f"worst {max(per_page):.2f})")
        print(f"    detection    {tally['det'] / count:6.2f}")
        print(f"    recognition  {tally['quick'] / count:6.2f}   quick, {lines / count:.0f} lines/page")
        print(f"    read again   {tally['exact'] / count:6.2f}   exact, "
              f"{(tally['exact calls'] / lines if lines and not exact_only else 1.0):.0%} of lines")
        print(f"    rest         {(total - tally['det'] - tally['quick'] - tally['exact']) / count:6.2f}")
        if length:
            print(f"  CER            {edits / length:7.2%}   against the text layer")
    return total / count


def bench_baseline(scans: list[Path], dpi: int) -> float:
    """CPU seconds per page of stock RapidOCR on the pages: the whole page through
    detection and recognition in onnxruntime, one thread, the bundled models."""
    import cv2
    from rapidocr import RapidOCR
    from pipeline.ingest.ocr import bundled_models
    params: dict[str, object] = {"Global.use_cls": False, "Global.log_level": "error",
                                 "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                                 "EngineConfig.onnxruntime.inter_op_num_threads": 1}
    params.update({f"{task}.model_path": str(path) for task, path in bundled_models().items()})
    stock = RapidOCR(params=params)
    stock(np.full((64, 256, 3), 255, np.uint8))
    seconds = pages = 0
    for scan in scans:
        for _, image in page_images(scan, dpi):
            colour = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
            started = time.process_time()
            stock(colour)
            seconds, pages = seconds + time.process_time() - started, pages + 1
    return seconds / pages


def record_f1(scans: list[Path], gold: Path, scorer: Path) -> None:
    """Extract the scans' records with the CLI and print the scorer's F1 per file."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([str(ROOT / ".venv" / "bin" / "contracts"), "extract", *map(str, scans), "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        print("record F1 per file (precision recall F1, findings tp fp)")
        for record in sorted(Path(out).glob("*.json")):
            with tempfile.TemporaryDirectory() as one:
                (Path(one) / "gold").mkdir()
                (Path(one) / "pred").mkdir()
                (Path(one) / "gold" / record.name).symlink_to(gold / record.name)
                (Path(one) / "pred" / record.name).symlink_to(record)
                scored = subprocess.run([sys.executable, str(scorer), f"{one}/gold", f"{one}/pred"],
                                        check=True, capture_output=True, text=True).stdout
            rows = {line.split()[0]: line.split()[1:] for line in scored.splitlines() if line.strip()}
            overall, findings = rows.get("overall", ["?"] * 6), rows.get("findings", ["?"] * 6)
            print(f"  {record.stem:<28} {' '.join(overall[3:6])}   findings {findings[0]} {findings[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shared = (SHARED / "scans" / "scan200").is_dir()
    parser.add_argument("--scans", type=Path, default=SHARED / "scans" / "scan200" if shared else ROOT / "samples",
                        help="folder of scanned PDFs (default: the shared scans, else samples/)")
    parser.add_argument("--texts", type=Path, default=SHARED / "scans" / "text" if shared else ROOT / "samples",
                        help="folder of their text-layer PDFs, same file names (or *_text.pdf for *_scan.pdf)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--exact-only", action="store_true", help="read every line in the exact precision")
    parser.add_argument("--passes", type=int, default=2,
                        help="times to read the pages (later passes: the steady state of a long run)")
    parser.add_argument("--gold", type=Path, help="folder of true records: also print the scans' record F1")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score.py")
    parser.add_argument("--baseline", action="store_true",
                        help="also time stock RapidOCR on the same pages and print the ratio")
    args = parser.parse_args()
    scans = sorted(p for p in args.scans.glob("*.pdf") if not p.name.endswith("_text.pdf"))
    if not scans:
        raise SystemExit(f"no scanned PDF in {args.scans}: pass --scans FOLDER")
    seconds = bench(scans, args.texts, args.dpi, args.exact_only, args.passes)
    if args.baseline:
        stock = bench_baseline(scans, args.dpi)
        print(f"stock RapidOCR (whole page, onnxruntime) on this host: {stock:.2f} CPU s/page; "
              f"this reading takes {seconds / stock:.0%} of it")
    if args.gold:
        record_f1(scans, args.gold, args.scorer)


if __name__ == "__main__":
    main()

"""Benchmark: OCR speed and character error rate per engine and resolution.

For each engine and dpi, every page of the scanned PDFs is rendered and OCR'd by a
pool of worker processes (one inference thread each, as in a batch run) and
compared with the text layer of the matching text PDF, read by the product's own
text-layer path. Prints, per engine and dpi: CPU seconds per page in one process
(the latency of one document), wall seconds per page with all workers (the
throughput of the machine), the character error rate (edit distance over the
reference length, whitespace and width forms ignored), the worst page's rate, and
how many 大写 amounts of the reference were read exactly. Also prints seconds per
page for text-layer extraction. Run with `make bench-ocr`.

Default input: the `*_scan.pdf` files of `samples/` that have a `*_text.pdf`
beside them; without any, the shared scans (`../shared/scans/scan200` against
`../shared/scans/text`).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_SCANS = ROOT.parent / "shared" / "scans"
UPPERCASE_AMOUNT = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]{2,}[元圆][零壹贰叁肆伍陆柒捌玖拾角分整正]*")


@dataclass
class Pair:
    scan: Path
    text: Path


def sample_pairs() -> list[Pair]:
    """Scans in samples/ and their text-layer twins (syn_0001_scan.pdf, syn_0001_text.pdf)."""
    pairs = [Pair(scan, scan.with_name(scan.name.replace("_scan.pdf", "_text.pdf")))
             for scan in sorted(SAMPLES.glob("*_scan.pdf"))]
    return [p for p in pairs if p.text.exists()]


def folder_pairs(scans: Path, texts: Path) -> list[Pair]:
    """Scans and text-layer PDFs of the same name in two folders."""
    return [Pair(scan, texts / scan.name) for scan in sorted(scans.glob("*.pdf")) if (texts / scan.name).exists()]


def text_layer_pages(pairs: list[Pair]) -> tuple[list[list[str]], float]:
    """Reference page texts, and seconds per page to extract them."""
    from pipeline.ingest import IngestOptions
    from pipeline.ingest.pdf import read_pdf
    for pair in pairs[:1]:
        read_pdf(pair.text, IngestOptions())          # imports and caches warmed
    started, pages = time.perf_counter(), []
    for pair in pairs:
        pages.append([p.text for p in read_pdf(pair.text, IngestOptions())])
    count = sum(len(p) for p in pages)
    return pages, (time.perf_counter() - started) / max(count, 1)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (Tesseract runs as one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def ocr_page(job: tuple[str, int, str, int]) -> tuple[str, float]:
    """OCR of one page (run in a worker): its text and the CPU seconds it took."""
    import pypdfium2 as pdfium
    from pipeline.ingest.ocr import engine
    from pipeline.ingest.scan import read_scan
    path, index, engine_name, dpi = job
    ocr = engine(engine_name)
    started = cpu_seconds()
    pdf = pdfium.PdfDocument(path)
    page = pdf[index]
    image = page.render(scale=dpi / 72, grayscale=True).to_numpy().copy()
    page.close()
    pdf.close()
    text = read_scan(image.reshape(image.shape[0], image.shape[1]), dpi, ocr).text
    return text, cpu_seconds() - started


def warm(engine_name: str) -> None:
    from pipeline.ingest.ocr import engine
    import numpy as np
    engine(engine_name).read(np.full((64, 256), 255, np.uint8))


def bench(pairs: list[Pair], references: list[list[str]], engine_name: str, dpi: int, workers: int) -> dict:
    from pipeline.ingest.cer import errors, normalized
    jobs = [(str(pair.scan), i, engine_name, dpi) for pair, refs in zip(pairs, references) for i in range(len(refs))]
    with multiprocessing.get_context("fork").Pool(workers, initializer=warm, initargs=(engine_name,)) as pool:
        started = time.perf_counter()
        results = pool.map(ocr_page, jobs, chunksize=1)
        wall = time.perf_counter() - started
    flat_refs = [ref for refs in references for ref in refs]
    edits = length = amounts = amounts_read = 0
    worst = 0.0
    for (text, _), ref in zip(results, flat_refs):
        e, n = errors(text, ref)
        edits, length = edits + e, length + n
        worst = max(worst, e / n if n else 0.0)
        found = normalized(text)
        for amount in UPPERCASE_AMOUNT.findall(normalized(ref)):
            amounts += 1
            amounts_read += amount in found
    return {"pages": len(jobs), "cpu": sum(cpu for _, cpu in results) / len(jobs), "wall": wall / len(jobs),
            "cer": edits / max(length, 1), "worst": worst, "amounts": f"{amounts_read}/{amounts}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--dpi", default="200,300")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="OCR processes (default: one per core)")
    parser.add_argument("--scans", type=Path, help="folder of scanned PDFs (default: samples/, else the shared scans)")
    parser.add_argument("--texts", type=Path, help="folder of their text-layer PDFs, same file names")
    args = parser.parse_args()
    if args.scans:
        pairs = folder_pairs(args.scans, args.texts or args.scans)
    else:
        pairs = sample_pairs() or folder_pairs(SHARED_SCANS / "scan200", SHARED_SCANS / "text")
    if not pairs:
        raise SystemExit("no scanned PDF with a matching text PDF in samples/ or ../shared/scans")
    references, text_seconds = text_layer_pages(pairs)
    print(f"scans: {', '.join(p.scan.name for p in pairs)}; reference: their text-layer PDFs; "
          f"{args.workers} worker process(es), one inference thread each")
    print(f"{'engine':<11}{'dpi':>5}{'pages':>7}{'cpu s/page':>12}{'wall s/page':>13}"
          f"{'CER':>8}{'worst page':>12}{'大写 read':>10}")
    for engine_name in args.engines.split(","):
        for dpi in (int(d) for d in args.dpi.split(",")):
            r = bench(pairs, references, engine_name, dpi, args.workers)
            print(f"{engine_name:<11}{dpi:>5}{r['pages']:>7}{r['cpu']:>12.2f}{r['wall']:>13.2f}"
                  f"{r['cer']:>8.2%}{r['worst']:>12.2%}{r['amounts']:>10}")
    pages = sum(len(r) for r in references)
    print(f"{'text layer':<11}{'':>5}{pages:>7}{'':>12}{text_seconds:>13.3f}")


if __name__ == "__main__":
    main()

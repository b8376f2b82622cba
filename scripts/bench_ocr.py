"""Benchmark: records from scans as archives hold them, and OCR speed per engine.

`make bench-ocr` (the default mode, `degrade`): for each degradation of
`pipeline.synth.degrade` (clean, seals, skew, jpeg150, photocopy, handwriting,
all), the text-layer PDFs of the shared seeds (`../shared/scans/text`, scored
against `../shared/gold` with `../shared/tools/score.py`; without ../shared, the
`*_text.pdf` of samples/ against samples/truth) are degraded, extracted by the
product, and scored. Prints per degradation: record F1, false error findings
(error findings the gold lacks) and CPU seconds per page of the whole extraction
(one inference thread per worker process). `--only seals --seeds 1`
limits a quick run; `--keep DIR` writes the records for `score.py --show-misses`.

`--mode engines`: for each engine and dpi, every page of the scanned PDFs is rendered and OCR'd by a
pool of worker processes (one inference thread each, as in a batch run) and
compared with the text layer of the matching text PDF, read by the product's own
text-layer path. Prints, per engine and dpi: CPU seconds per page in one process
(the latency of one document), wall seconds per page with all workers (the
throughput of the machine), the character error rate (edit distance over the
reference length, whitespace and width forms ignored), the worst page's rate, and
how many 大写 amounts of the reference were read exactly. Also prints seconds per
page for text-layer extraction. Run with `make bench-ocr`.

Default input of `--mode engines`: the `*_scan.pdf` files of `samples/` that have a `*_text.pdf`
beside them; without any, the shared scans (`../shared/scans/scan200` against
`../shared/scans/text`).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_SCANS = ROOT.parent / "shared" / "scans"
SHARED_GOLD = ROOT.parent / "shared" / "gold"
SCORER = ROOT.parent / "shared" / "tools" / "score.py"
DEGRADATION_RUNS = ("clean", "seals", "skew", "jpeg150", "photocopy", "handwriting", "all")
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


# -- degraded scans → records ------------------------------------------------------------
@dataclass
class Seed:
    text_pdf: Path
    gold: dict


def seeds() -> list[Seed]:
    """The shared seeds' text PDFs with their gold records, else samples/ with its truth."""
    if (SHARED_SCANS / "text").is_dir() and SHARED_GOLD.is_dir():
        return [Seed(pdf, json.loads((SHARED_GOLD / f"{pdf.stem}.json").read_text(encoding="utf-8")))
                for pdf in sorted((SHARED_SCANS / "text").glob("*.pdf")) if (SHARED_GOLD / f"{pdf.stem}.json").exists()]
    print("../shared is absent: using the text PDFs of samples/ and samples/truth")
    found = []
    for pdf in sorted(SAMPLES.glob("*_text.pdf")):
        truth = SAMPLES / "truth" / f"{pdf.stem}.json"
        if truth.exists():
            found.append(Seed(pdf, json.loads(truth.read_text(encoding="utf-8"))))
    return found


def corpus_seeds(folders: list[Path], into: Path) -> list[Seed]:
    """Text contracts with gold records (FOLDER/contracts/*.txt, FOLDER/gold/*.json),
    printed as text-layer PDFs into `into` by `pipeline.synth.from_text`."""
    from pipeline.synth.from_text import document_from_text
    from pipeline.synth.render_pdf import render_pdf
    found = []
    for folder in folders:
        for text in sorted((folder / "contracts").glob("*.txt")):
            gold = folder / "gold" / f"{text.stem}.json"
            if not gold.exists():
                continue
            pdf = into / f"{text.stem}.pdf"
            render_pdf(document_from_text(text.read_text(encoding="utf-8")), pdf)
            found.append(Seed(pdf, json.loads(gold.read_text(encoding="utf-8"))))
    return found


def scorer():
    """The shared scoring module (its functions, not its command line)."""
    if not SCORER.exists():
        raise SystemExit(f"{SCORER} not found: the degradation benchmark scores with the shared scorer")
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_degraded(job: tuple[str, str, int, str]) -> tuple[dict, int, float]:
    """Degrade one text PDF and extract it (run in a worker): record, pages, CPU
    seconds of the extraction (rendering, seals, OCR, extraction, checks)."""
    from pipeline.ingest import IngestOptions
    from pipeline.language import extract_file
    from pipeline.synth.degrade import degrade_pdf, parse_degradations
    source, degradation, seed, folder = job
    target = Path(folder) / f"{Path(source).stem}.{degradation}.pdf"
    degrade_pdf(Path(source), target, parse_degradations(degradation), seed)
    started = cpu_seconds()
    doc = extract_file(target, IngestOptions())
    return doc.record.to_json_dict(), doc.page_count, cpu_seconds() - started


def false_errors(score, gold: dict, record: dict) -> int:
    """Error findings of the record that the gold does not have."""
    def keys(rec: dict) -> Counter:
        return Counter((f.get("check"), round(f["found"], 2) if isinstance(f.get("found"), (int, float))
                        else score.norm_text(f.get("found")))
                       for f in rec.get("findings") or [] if f.get("severity", "error") == "error")
    return sum((keys(record) - keys(gold)).values())


def bench_degradations(chosen: list[str], limit: int | None, workers: int, keep: Path | None,
                       corpora: list[Path]) -> None:
    score = scorer()
    with tempfile.TemporaryDirectory() as folder, \
            multiprocessing.get_context("fork").Pool(workers, initializer=warm, initargs=("rapidocr",)) as pool:
        picked = (corpus_seeds(corpora, Path(folder)) if corpora else seeds())[:limit]
        if not picked:
            raise SystemExit("no text PDF with a gold record in ../shared, samples/ or the corpus folders")
        print(f"contracts: {', '.join(s.text_pdf.stem for s in picked)}; {workers} worker process(es)")
        print(f"{'degradation':<13}{'pages':>6}{'F1':>8}{'P':>8}{'R':>8}{'false errors':>14}{'CPU s/page':>12}")
        jobs = [(str(s.text_pdf), degradation, n, folder) for degradation in chosen for n, s in enumerate(picked)]
        results = iter(pool.imap(extract_degraded, jobs, chunksize=1))
        for degradation in chosen:
            tally, wrong, pages, seconds = score.Tally(), 0, 0, 0.0
            for seed in picked:
                record, page_count, elapsed = next(results)
                score.score_record(seed.gold, record, tally, seed.text_pdf.stem)
                if keep is not None:
                    (keep / degradation).mkdir(parents=True, exist_ok=True)
                    (keep / degradation / f"{seed.text_pdf.stem}.json").write_text(
                        json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
                wrong += false_errors(score, seed.gold, record)
                pages, seconds = pages + page_count, seconds + elapsed
            total = Counter()
            for counts in tally.counts.values():
                total.update(counts)
            p, r, f = score.prf(total)
            print(f"{degradation:<13}{pages:>6}{f:>8.3f}{p:>8.3f}{r:>8.3f}{wrong:>14}{seconds / max(pages, 1):>12.2f}",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("degrade", "engines"), default="degrade",
                        help="degrade: records from degraded scans (default); engines: OCR speed and CER")
    parser.add_argument("--only", default=",".join(DEGRADATION_RUNS),
                        help=f"degradations to run, comma-separated (default: {','.join(DEGRADATION_RUNS)})")
    parser.add_argument("--seeds", type=int, help="how many contracts to use (default: all)")
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="instead of the seeds: a folder of text contracts (contracts/*.txt) with gold "
                             "records (gold/*.json), printed to PDF first; repeatable, e.g. tests/holdout")
    parser.add_argument("--keep", type=Path, help="write the records into KEEP/<degradation>/ for score.py")
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--dpi", default="200,300")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="OCR processes (default: one per core)")
    parser.add_argument("--scans", type=Path, help="folder of scanned PDFs (default: samples/, else the shared scans)")
    parser.add_argument("--texts", type=Path, help="folder of their text-layer PDFs, same file names")
    args = parser.parse_args()
    if args.mode == "degrade":
        unknown = [d for d in args.only.split(",") if d not in DEGRADATION_RUNS]
        if unknown:
            parser.error(f"unknown degradation {', '.join(unknown)}: choose from {', '.join(DEGRADATION_RUNS)}")
        bench_degradations(args.only.split(","), args.seeds, args.workers, args.keep, args.corpus)
        return
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

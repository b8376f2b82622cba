"""Benchmark: one megabyte of text through the extractor, for inputs built to be hard.

Issue 9's target is a megabyte of any content in under 5 s on one core. Each case
is a megabyte made of one piece repeated (labels, figures, tabs, line breaks,
list headings), of a real-looking contract repeated, or of a contract with a
24,000-row price table. Prints CPU seconds per case (the best of `--repeats`)
and the slowest stage, and marks cases over the target. Run with `make bench`.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.errors import InputError
from pipeline.language import extract_text

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = (ROOT / "tests" / "layouts" / "clause_installments_counted.txt").read_text(encoding="utf-8")
SIZE = 1_000_000  # bytes of UTF-8
TARGET_SECONDS = 5.0
PIECES = ("甲方：合同 ", "\n合同 ", "第一条 合同 ", "元合同 ", "1 合同 ", "\t合同 ", "违约金合同 ", "合计 合同 ",
          "（合同 ", "单价 合同 ")


def price_table_contract(rows: int = 24_000) -> str:
    header = "\n序号\t服务名称\t单价（元/月）\t数量\t单位\t月数\t金额（元）\n"
    body = "\n".join(f"{n}\t资源规格{n % 97}\t{100 + n % 50}.00\t{1 + n % 7}\t台\t12\t"
                     f"{(100 + n % 50) * (1 + n % 7) * 12}.00" for n in range(1, rows + 1))
    return CONTRACT.replace("\n", header + body + "\n", 1)


def cases() -> dict[str, str]:
    built = {repr(piece): piece * (SIZE // len(piece.encode())) for piece in PIECES}
    built["contract repeated"] = CONTRACT * (SIZE // len(CONTRACT.encode()))
    built["24,000-row table"] = price_table_contract()
    return built


def run_once(text: str) -> tuple[float, str]:
    started = time.process_time()
    try:
        timings = extract_text(text, "megabyte.txt").timings
        slowest = max(timings, key=timings.get)
        outcome = f"record, slowest stage {slowest} {timings[slowest]:.2f} s"
    except InputError as err:
        outcome = f"refused ({err.code})"
    return time.process_time() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="runs per case; the best is shown")
    args = parser.parse_args()
    print(f"{'case':<22}{'KB':>8}{'CPU s':>8}  outcome")
    for name, text in cases().items():
        best, outcome = min(run_once(text) for _ in range(args.repeats))
        mark = "  OVER TARGET" if best > TARGET_SECONDS else ""
        print(f"{name:<22}{len(text.encode()) // 1024:>8}{best:>8.2f}  {outcome}{mark}", flush=True)


if __name__ == "__main__":
    main()

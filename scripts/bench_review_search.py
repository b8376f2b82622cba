"""Benchmark: the review list's search over 100,000 findings, with and without a width-blind query.

Builds a SQLite database (the real schema) of `--contracts` invented contracts
with a supplier each and `--findings` findings spread over them, then times one
list page (the count and the 50 rows) for no query, a half-width contract
number, the same number in full-width forms, and a supplier name. The search
folds each contract's number, title and supplier once per query (a subquery of
contract ids), not once per finding. Prints the best of `--repeats` in ms.
Pass `--db postgresql+psycopg://...` to time PostgreSQL instead (an empty database).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert

from pipeline.db.engine import open_engine
from pipeline.db.migrate import upgrade
from pipeline.db.models import FINDINGS, PARTIES, contracts, documents
from pipeline.review import search
from pipeline.review.queries import FindingFilter, list_findings

FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
CHECKS = ("line_amount", "items_total", "restated_amount", "term", "tax")


def build(url: str, contract_count: int, finding_count: int) -> None:
    engine = open_engine(url)
    upgrade(engine)
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        connection.execute(insert(documents), [
            {"id": n, "sha256": f"{n:064x}", "path": f"/archive/{n}.txt", "status": "ok", "loaded_at": now}
            for n in range(1, contract_count + 1)])
        connection.execute(insert(contracts), [
            {"id": n, "document_id": n, "schema_version": 1, "document_name": f"{n}.txt",
             "contract_no": f"QX-{2030 + n % 7}-{n:06d}", "title": f"第{n}号云服务合同"}
            for n in range(1, contract_count + 1)])
        connection.execute(insert(PARTIES.table), [
            {"contract_id": n, "list_index": 1, "role": "supplier", "name": f"虚构云计算{n % 97}号有限公司"}
            for n in range(1, contract_count + 1)])
        connection.execute(insert(FINDINGS.table), [
            {"contract_id": 1 + n % contract_count, "list_index": n // contract_count,
             "check_code": CHECKS[n % len(CHECKS)], "severity": "error", "subject": "contract.total_amount",
             "expected": "1.0", "found": "2.0", "finding_key": f"{n:016x}"}
            for n in range(finding_count)])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        build(url, args.contracts, args.findings)
        engine = open_engine(url)
        search.install(engine)
        middle = args.contracts // 2
        number = f"QX-{2030 + middle % 7}-{middle:06d}"
        cases = {"no query": "", "number, half-width": number, "number, full-width": number.translate(FULL_WIDTH),
                 "supplier": "虚构云计算5号"}
        print(f"{args.findings} findings over {args.contracts} contracts ({engine.url.get_backend_name()})")
        for name, text in cases.items():
            where = FindingFilter(status="all", q=text)
            best = float("inf")
            for _ in range(args.repeats):
                with engine.connect() as connection:
                    started = time.perf_counter()
                    page = list_findings(connection, where, 1)
                    best = min(best, time.perf_counter() - started)
            print(f"{name:22} {page.total:7d} found  {best * 1000:8.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()

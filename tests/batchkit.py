"""Test kit for the batch run: a small fake extractor, contract-like files, and the CLI with the fake.

The fake reads a simple line format, so tests control exactly what each file
holds (how many line items, whether it fails and how) and runs in milliseconds.
It lives in an importable module so worker processes can unpickle it.
`python -c "import batchkit; batchkit.cli()" run ...` (with tests/ on
PYTHONPATH) is `contracts run` with the fake; FAKE_EXTRACTOR_VERSION and
FAKE_EXTRACT_DELAY (seconds per document) tune it.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Optional

from pipeline.document import ContractDoc
from pipeline.errors import BinaryFile, EmptyFile, NotAContract
from schemas import ContractMeta, Finding, LineItem, NormalizedQuantity, Party, Payment, Penalty, Subtotal

FAKE_VERSION = "fake-1"
_ITEM = re.compile(r"^(\d+)\t(.+?)\t([\d.]+)\t([\d.]+)\t(\S+)\t([\d.]+)$", re.M)
_FIELD = re.compile(r"^(合同编号|甲方|乙方|合同总价)：(.+)$", re.M)
SUPPLIERS = ("中国电信股份有限公司北京分公司", "联通数字科技有限公司", "浪潮云信息技术股份公司")
SERVICES = (("云主机 vCPU", "1CPU", "vCPU", 1), ("内存", "1GB", "GB", 1),
            ("对象存储", "100GB", "GB", 100), ("块存储", "1TB", "GB", 1000), ("互联网带宽", "1Mb", "Mbps", 1))


def contract_text(n: int, items: int = 3, wrong_amount: bool = False) -> str:
    """A contract-like text numbered `n` with `items` priced lines (one wrong if asked)."""
    lines = [f"政务云服务合同 {n}", f"合同编号：HT-{n:05d}", f"甲方：第{n % 7}区数据管理局",
             f"乙方：{SUPPLIERS[n % len(SUPPLIERS)]}"]
    total = 0.0
    for i in range(items):
        service, unit, _, _ = SERVICES[(n + i) % len(SERVICES)]
        price, qty = 10.0 + i + n % 5, float(2 + i)
        amount = price * qty * 12
        if wrong_amount and i == 0:
            amount += 100
        total += amount
        lines.append(f"{i + 1}\t{service}\t{price:g}\t{qty:g}\t{unit}\t{amount:g}")
    lines.append(f"合同总价：{total:g}")
    return "\n".join(lines) + "\n"


def write_contracts(folder: Path, count: int, start: int = 0, items: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"contract_{n:05d}.txt"
        path.write_text(contract_text(n, items=items, wrong_amount=n % 4 == 0), encoding="utf-8")
        paths.append(path)
    return paths


def fake_extract(path: Path, options: Optional[object] = None) -> ContractDoc:
    """Extract a `contract_text` file; raises the pipeline's errors for bad input."""
    delay = float(os.environ.get("FAKE_EXTRACT_DELAY", "0"))
    if delay:
        time.sleep(delay)
    data = Path(path).read_bytes()
    if not data:
        raise EmptyFile(f"{path}: the file is empty")
    if b"\0" in data:
        raise BinaryFile(f"{path}: binary data, not text")
    raw = data.decode("utf-8")
    if "EXTRACTOR BUG" in raw:
        raise ZeroDivisionError("division by zero")
    if "EXTRACTOR HANGS" in raw:
        time.sleep(120)
    fields = dict(_FIELD.findall(raw))
    if "合同编号" not in fields:
        raise NotAContract(f"{path}: no contract found (no 合同编号)")
    doc = ContractDoc(name=Path(path).name, raw=raw, path=Path(path))
    record = doc.record
    record.contract = ContractMeta(contract_no=fields["合同编号"], title=raw.splitlines()[0],
                                   total_amount=float(fields["合同总价"]), term_months=12)
    record.parties = [Party(role="client", name=fields["甲方"]), Party(role="supplier", name=fields["乙方"])]
    doc.cite("contract.contract_no", doc.span(raw.index(fields["合同编号"]),
                                               raw.index(fields["合同编号"]) + len(fields["合同编号"])))
    items = []
    for i, m in enumerate(_ITEM.finditer(raw)):
        price, qty, amount = float(m[3]), float(m[4]), float(m[6])
        unit = next(s for s in SERVICES if s[1] == m[5])
        items.append(LineItem(
            seq=int(m[1]), service=m[2], unit_price=price, quantity=qty, billing_unit=m[5],
            price_basis="month", periods=12, amount=amount,
            normalized=NormalizedQuantity(quantity=qty * unit[3], unit=unit[2], unit_price_month=price / unit[3])))
        doc.cite(f"line_items[{i}].amount", doc.span(m.start(6), m.end(6)))
        if abs(price * qty * 12 - amount) > 0.01:
            record.findings.append(Finding(check="line_amount", subject=f"line_items[{i}]",
                                           expected=price * qty * 12, found=amount))
    record.line_items = items
    record.subtotals = [Subtotal(label="合计", amount=sum(i.amount for i in items))]
    record.payments = [Payment(seq=1, percent=1.0, amount=record.contract.total_amount, condition="验收后")]
    record.penalties = [Penalty(trigger="逾期", rate=0.001, base="overdue_amount", per_day=True)]
    record.service_levels.availability = 0.999
    doc.timings["extract"] = 0.001
    return doc


def cli() -> None:
    """`contracts` with the fake extractor, for subprocess tests."""
    import pipeline.language
    from pipeline.cli import app

    pipeline.language.extract_file = fake_extract
    pipeline.language.EXTRACTOR_VERSION = os.environ.get("FAKE_EXTRACTOR_VERSION", FAKE_VERSION)
    app()


def run_cli(archive: Path, db: Path, *args: str) -> tuple[int, str, dict]:
    """`contracts run ARCHIVE --db sqlite:///DB --workers 2 ARGS` in this process: (exit code, output, report)."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    report = db.parent / f"report-{os.urandom(4).hex()}.json"
    result = CliRunner().invoke(app, ["run", str(archive), "--db", f"sqlite:///{db}", "--workers", "2",
                                      "--report", str(report), *args])
    data = json.loads(report.read_text()) if report.exists() else {}
    return result.exit_code, result.output, data


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def sqlite_counts(db: Path) -> dict[str, int]:
    """Row counts per table of a SQLite database, read without SQLAlchemy."""
    with sqlite3.connect(db) as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: connection.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}

"""Bad input through the command line: a clear message and a non-zero exit, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import MINI_CONTRACT, ROOT


def contracts(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_single_file_prints_record(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(MINI_CONTRACT, encoding="utf-8")
    result = contracts("extract", str(path))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["document"] == "good.txt"
    assert "evidence" not in record


def test_with_evidence_adds_evidence_object(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(MINI_CONTRACT, encoding="utf-8")
    record = json.loads(contracts("extract", str(path), "--with-evidence").stdout)
    assert record["evidence"]["contract.total_amount"]["page"] == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "enc.txt"
    path.write_bytes(MINI_CONTRACT.encode(encoding))
    record = json.loads(contracts("extract", str(path)).stdout)
    assert record["parties"][0]["name"] == "测试市数据管理中心"


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"\x00\x01\x02\x03binary\x00" * 100, "binary file"),
    ("春天来了，花开了。我们一起去公园散步。\n".encode() * 30, "no contract found"),
])
def test_bad_inputs(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert_clean_failure(contracts("extract", str(path)), message)


def test_huge_text_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(MINI_CONTRACT.encode() * (50 * 1024 * 1024 // len(MINI_CONTRACT.encode()) + 1))
    assert_clean_failure(contracts("extract", str(path)), "larger than any contract")


def test_missing_file(tmp_path):
    assert_clean_failure(contracts("extract", str(tmp_path / "nope.txt")), "no such file")


def test_truncated_contract_warns_and_succeeds(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(MINI_CONTRACT[: MINI_CONTRACT.index("第二条")], encoding="utf-8")
    result = contracts("extract", str(path))
    assert result.returncode == 0
    assert "truncated" in result.stderr


def test_out_dir_gets_one_record_per_file(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(MINI_CONTRACT, encoding="utf-8")
    out = tmp_path / "out"
    result = contracts("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert not list(out.glob("*.tmp"))
    assert os.path.getsize(out / "a.json") > 100

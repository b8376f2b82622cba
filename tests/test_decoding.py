"""Damaged text is read, not refused: undecodable bytes replaced with a warning, mixed encodings per line,
NUL bytes dropped, text that begins like an image read as text, and nothing unstorable reaches the ledger."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from pipeline.batch.discover import Source
from pipeline.batch.work import ExtractTask, failure_payload
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import upgrade
from pipeline.db.models import STATUS_FAILED, STATUS_OK
from pipeline.errors import BinaryFile
from pipeline.ingest import IngestOptions, read_document, readable_path, sniff_kind, storable_text
from pipeline.ingest.text import decode_text
from pipeline.language import extract_file
from sqlalchemy import create_engine, text
from tests.helpers import MINI_CONTRACT

FOOTER = "备注：本合同一式肆份，双方各执贰份。\n"
UTF8, GBK = MINI_CONTRACT.encode("utf-8"), MINI_CONTRACT.encode("gbk")


@pytest.mark.parametrize("data,encoding,replaced", [
    (UTF8 + "额".encode()[:2], "UTF-8", 2),       # a character cut off at the end
    (GBK + "额".encode("gbk")[:1], "GB18030", 1),
    (UTF8.replace("项目".encode(), "项目".encode() + b"\xff", 1), "UTF-8", 1),  # a stray byte in the middle
    (GBK.replace("项目".encode("gbk"), "项目".encode("gbk") + b"\xff", 1), "GB18030", 1),
])
def test_undecodable_bytes_become_replacement_characters_with_a_warning(data, encoding, replaced):
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.replaced) == (encoding, replaced)
    assert "\ufffd" in decoded.text and "甲方：测试市数据管理中心" in decoded.text
    assert f"{replaced} byte" in decoded.warnings[0] and encoding in decoded.warnings[0]


def test_a_gb18030_body_with_a_utf8_footer_reads_both():
    decoded = decode_text(GBK + FOOTER.encode("utf-8"))
    assert decoded.text == MINI_CONTRACT + FOOTER
    assert decoded.replaced == 0 and decoded.encodings == ["GB18030", "UTF-8"]
    assert any("mixed encodings" in w for w in decoded.warnings)


def test_nul_bytes_are_dropped_and_many_are_binary():
    decoded = decode_text(UTF8[:30] + b"\0" + UTF8[30:] + b"\0")
    assert decoded.text == MINI_CONTRACT and decoded.nul_bytes == 2
    assert decoded.warnings == ["2 bytes NUL dropped from the text"]
    with pytest.raises(BinaryFile):
        decode_text(b"\0\1\2binary\0" * 200)


def test_text_that_begins_like_an_image_or_pdf_is_read_as_text(tmp_path):
    for i, prefix in enumerate(["BM", "II*\0", "RIFF", "%PDF "]):
        path = tmp_path / f"c{i}.txt"
        path.write_bytes((prefix + "\n" + MINI_CONTRACT).encode("utf-8").replace(b"\0", b"") + b"\0")
        doc = read_document(path, IngestOptions())
        assert "测试市数据管理中心" in doc.raw and "\0" not in doc.raw
    bitmap = io.BytesIO()
    Image.new("L", (8, 8), 255).save(bitmap, format="BMP")
    image = tmp_path / "scan.txt"
    image.write_bytes(bitmap.getvalue())
    assert sniff_kind(image, bitmap.getvalue()[:16]) == "image"  # a real image, whatever its name


def test_names_and_messages_become_storable_text():
    gbk_name = b"/archive/" + "甲".encode("gbk") + b".txt"
    path = gbk_name.decode("utf-8", "surrogateescape")  # what os.scandir gives for such a name
    assert readable_path(path) == "/archive/\\xbc\\xd7.txt"
    assert storable_text(f"{path}: bad\0 byte") == "/archive/\\xbc\\xd7.txt: bad byte"
    assert storable_text("\ud800 lone") == "\\ud800 lone"


def _damaged(original: bytes, data: st.DataObject) -> bytes:
    if data.draw(st.booleans(), label="truncate"):
        return original[:data.draw(st.integers(len(original) // 2, len(original)), label="cut")]
    index = data.draw(st.integers(0, len(original) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    return original[:index] + bytes([original[index] ^ (1 << bit)]) + original[index + 1:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), encoding=st.sampled_from(["utf-8", "gbk"]))
def test_truncated_or_bit_flipped_contracts_are_never_refused(tmp_path, data, encoding):
    damaged = _damaged(MINI_CONTRACT.encode(encoding), data)
    path = tmp_path / "damaged.txt"
    path.write_bytes(damaged)
    payload = ExtractTask(extract_file)([str(path)])[0]
    assert payload["status"] != STATUS_FAILED, payload["error"]
    assert payload["status"] == STATUS_OK, payload["error"]
    replaced = decode_text(damaged).replaced
    assert any("could not be decoded" in w for w in payload["warnings"]) == bool(replaced)


def test_nul_and_undecodable_names_never_reach_the_ledger(tmp_path, pg_url):
    engine = open_engine(pg_url)
    upgrade(engine)
    store = Store(engine, "v1")
    name = (str(tmp_path).encode() + b"/" + "合同".encode("gbk") + b".txt").decode("utf-8", "surrogateescape")
    try:
        store.claim([Source(name)], force=False)
        payload = failure_payload(STATUS_FAILED, "bad\0code", f"{name}: a NUL\0 here")
        payload["warnings"] = ["warned\0"]
        store.save(Source(name), payload)
        store.commit()
    finally:
        store.close()
        engine.dispose()
    check = create_engine(pg_url)
    with check.connect() as connection:
        row = connection.execute(text("SELECT path, error_code, error, warnings FROM documents")).one()
    check.dispose()
    shown = readable_path(name)
    assert row == (shown, "badcode", f"{shown}: a NUL here", ["warned"])

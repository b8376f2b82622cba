"""The pipeline coordinator: runs the stages over one contract document.

Like spaCy's `Language`, it only coordinates: each stage is a callable that takes
a `ContractDoc` and returns it enriched. Order: ingest → normalize text →
segment → layout (tables, key/value statements) → extract → normalize values → check. Loading into a database is done
by the batch run (`pipeline.batch`) with the finished document.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Optional

from pipeline.document import ContractDoc
from pipeline.ingest import IngestOptions, read_document

EXTRACTOR_VERSION = "1.0.0"

Stage = Callable[[ContractDoc], ContractDoc]


def default_stages() -> list[tuple[str, Stage]]:
    from pipeline import checks, keyvalues, segment, tables, textnorm, validate
    from extractors import run_extractors
    return [
        ("normalize", textnorm.normalize),
        ("segment", segment.segment),
        ("tables", tables.find_tables),
        ("key_values", keyvalues.read_key_values),
        ("extract", run_extractors),
        ("check", checks.run_checks),
        ("validate", validate.validate),
    ]


class Pipeline:
    def __init__(self, stages: Optional[list[tuple[str, Stage]]] = None):
        self.stages = stages if stages is not None else default_stages()

    def __call__(self, doc: ContractDoc) -> ContractDoc:
        for name, stage in self.stages:
            started = time.perf_counter()
            doc = stage(doc)
            doc.timings[name] = time.perf_counter() - started
        return doc


_DEFAULT: Optional[Pipeline] = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def extract_text(text: str, name: str = "document.txt") -> ContractDoc:
    """Run the pipeline over a text already in memory."""
    return default_pipeline()(ContractDoc(name=name, raw=text))


def extract_file(path: Path, options: Optional[IngestOptions] = None) -> ContractDoc:
    """Read any supported file and run the pipeline; raises `InputError` for bad input."""
    started = time.perf_counter()
    doc = read_document(Path(path), options or IngestOptions())
    doc.timings["ingest"] = time.perf_counter() - started
    return default_pipeline()(doc)

"""The extractor registry: each runs after what it reads is written; bad registries are refused."""
from __future__ import annotations

import pytest

from extractors import EXTRACTORS, Extractor, execution_order


def test_every_extractor_runs_after_the_writers_of_what_it_reads():
    order = [e.name for e in execution_order(EXTRACTORS)]
    for extractor in EXTRACTORS:
        for target in extractor.reads:
            writer = next(e.name for e in EXTRACTORS if target in e.writes)
            assert writer == extractor.name or order.index(writer) < order.index(extractor.name)


def test_a_reader_declared_first_still_runs_after_its_writer():
    reader = Extractor("reader", "x", reads=("statements.totals",), writes=("payments",))
    writer = Extractor("writer", "y", reads=(), writes=("statements.totals",))
    assert [e.name for e in execution_order((reader, writer))] == ["writer", "reader"]


def test_two_writers_of_one_thing_and_cycles_are_refused():
    with pytest.raises(ValueError, match="written by both"):
        execution_order((Extractor("a", "x", (), ("contract",)), Extractor("b", "y", (), ("contract",))))
    with pytest.raises(ValueError, match="cycle"):
        execution_order((Extractor("a", "x", ("parties",), ("contract",)),
                         Extractor("b", "y", ("contract",), ("parties",))))
    with pytest.raises(ValueError, match="no extractor writes"):
        execution_order((Extractor("a", "x", ("payments",), ("contract",)),))

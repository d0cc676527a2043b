"""The file format: bytes per session of demo files, and a field-level merge of two copies of
one file edited concurrently (every record shared, some fields changed on both sides)."""

from __future__ import annotations

import random

import orjson
import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui.domain.records import SHARED_TABLES
from tpe_tui.storage.file_format import open_readonly
from tpe_tui.sync import merge as sync
from tpe_tui.sync.registers import stamp


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_bytes_per_session(benchmark, bench_dir, size) -> None:
    """File size / sessions (the whole file, compact), and what the same records take
    written whole (schema 2's layout)."""
    path = demo_file(bench_dir, size)
    data = benchmark.pedantic(open_readonly, args=(path,), rounds=1, iterations=1)
    whole = path.stat().st_size / size
    as_schema_2 = len(orjson.dumps(data)) / size
    benchmark.extra_info.update(bytes_per_session=round(whole), whole_records=round(as_schema_2))
    print(f"\n{size} sessions: {whole:.0f} B/session in the file ({as_schema_2:.0f} written whole)")


def _edited(tables: dict, device: str, share: float, seed: int) -> dict:
    """A copy where `share` of the sessions had their notes and one step edited on `device`."""
    rng = random.Random(seed)
    out = {}
    for table, records in tables.items():
        rows = []
        for record in records:
            if table == "sessions" and rng.random() < share:
                steps = {**record["steps"], "welcome": {"done": True, "note": device}}
                new = {**record, "notes": f"{device} {seed}", "steps": steps}
                record = stamp(table, record, new, device, 2_000_000_000_000, "now") or record
            rows.append(record)
        out[table] = rows
    return out


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_merge_two_edited_copies(benchmark, bench_dir, size) -> None:
    """Both laptops hold the same records; 10 % of the sessions were edited on each side
    (notes and a step): the merge decomposes and joins those field by field."""
    data = open_readonly(demo_file(bench_dir, size))
    base = {t: list(data[t].values()) for t in SHARED_TABLES}
    ours, theirs = _edited(base, "alpha", 0.1, 1), _edited(base, "bravo", 0.1, 2)
    _merged, report = benchmark.pedantic(sync.merge, args=(ours, theirs), rounds=3, iterations=1)
    assert report.tables["sessions"].conflicts > 0  # notes edited on both sides
    benchmark.extra_info["conflicts"] = report.tables["sessions"].conflicts

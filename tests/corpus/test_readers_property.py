"""Property tests for the record readers: whatever the text holds, a well-formed file reads back exactly."""

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.config import CorpusConfig
from framing.corpus.encoding import normalize_text
from framing.corpus.read_records import load_records

# Any printable text, quotes, delimiters, newlines, RTL and emoji included (no NUL, no lone surrogates).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters='\n",;\t\'"'),
                min_size=1, max_size=60)
records = st.lists(st.tuples(st.integers(0, 10**6), texts), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_csv_written_by_the_csv_module_reads_back(rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "text", "source"])
    for rid, text in rows:
        writer.writerow([rid, text, "src"])
    raw = load_records(Path("r.csv"), buf.getvalue().encode("utf-8"), CorpusConfig())
    assert all(err is None for _, _, err in raw.items), raw.items
    got = [(rec["id"], rec["text"], rec["source"]) for _, rec, _ in raw.items]
    assert got == [(str(rid), normalize_text(text), "src") for rid, text in rows]


@settings(max_examples=150, deadline=None)
@given(records, st.sets(st.integers(0, 11)))
def test_jsonl_reads_back_and_broken_lines_are_labelled(rows, broken):
    lines = [json.dumps({"id": rid, "text": text}, ensure_ascii=bool(rid % 2)) for rid, text in rows]
    broken = {i for i in broken if i < len(lines)}
    if len(broken) == len(lines):
        broken = set()  # a file of nothing but broken lines is an error of its own (tested elsewhere)
    for i in broken:
        lines[i] = lines[i][:-1]  # drop the closing brace
    raw = load_records(Path("r.jsonl"), "\n".join(lines).encode("utf-8"), CorpusConfig())
    assert len(raw.items) == len(lines)
    for i, ((label, rec, err), (rid, text)) in enumerate(zip(raw.items, rows)):
        assert label == f"line {i + 1}"
        if i in broken:
            assert rec is None and "invalid JSON" in err
        else:
            assert rec == {"id": rid, "text": normalize_text(text)} or rec == {"id": rid, "text": text}

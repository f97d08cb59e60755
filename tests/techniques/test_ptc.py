"""Reading coded spans: the jsonl + tsv layout, the PTC release layout, the split by article, bad offsets."""

from __future__ import annotations

import json

import pytest

from framing.errors import InputError
from framing.techniques.ptc import read_coded_spans, split_by_article

from .synthetic import write_coded


def test_jsonl_layout_reads_spans_that_index_the_text(tmp_path):
    docs, spans = read_coded_spans(write_coded(tmp_path / "coded", 3))
    text = docs.set_index("doc_id")["text"]
    first = spans.iloc[0]
    assert text[first.doc_id][first.start:first.end] in {"vicious", "monstrous", "shameful", "savage", "evil",
                                                          "disgusting"}
    assert list(spans.columns) == ["doc_id", "technique", "start", "end"] and len(docs) == 3


def test_release_layout_reads_article_files_and_the_labels_file(tmp_path):
    folder = tmp_path / "train-articles"
    folder.mkdir()
    (folder / "article111.txt").write_text("Crooked Hillary lied.\n", encoding="utf-8")
    (folder / "article222.txt").write_text("Rain fell.\n", encoding="utf-8")
    (tmp_path / "train-task-flc-tc.labels").write_text("111\tName_Calling,Labeling\t0\t15\n", encoding="utf-8")
    docs, spans = read_coded_spans(folder)
    assert sorted(docs.doc_id) == ["111", "222"]
    assert spans.values.tolist() == [["111", "Name_Calling,Labeling", 0, 15]]


def test_a_span_outside_its_article_names_file_and_article(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "articles.jsonl").write_text(json.dumps({"id": "a1", "text": "Short."}) + "\n", encoding="utf-8")
    (folder / "spans.tsv").write_text("article_id\ttechnique\tstart\tend\na1\tDoubt\t2\t40\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"spans\.tsv: 1 spans lie outside.*article a1 \[2, 40\)"):
        read_coded_spans(folder)
    (folder / "spans.tsv").write_text("article_id\ttechnique\tstart\tend\na1\tDoubt\tx\t4\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"spans\.tsv, line 2: start and end must be whole numbers"):
        read_coded_spans(folder)
    with pytest.raises(InputError, match="neither articles.jsonl"):
        read_coded_spans(tmp_path)


def test_split_is_by_article_seeded_and_disjoint():
    ids = [f"a{i}" for i in range(50)]
    train, test = split_by_article(ids, 0.2, seed=3)
    assert len(test) == 10 and not set(train) & set(test) and sorted(train + test) == sorted(ids)
    assert split_by_article(ids, 0.2, seed=3) == (train, test) != split_by_article(ids, 0.2, seed=4)

"""The technique tables from decisions: spans with offsets into the input, sentence decisions, roll-ups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.techniques.catalog import load_technique_catalog
from framing.techniques.tables import (DOCUMENT_TECHNIQUE_COLUMNS, SENTENCE_TECHNIQUE_COLUMNS, TECHNIQUE_COLUMNS,
                                       TECHNIQUE_SPAN_COLUMNS, Decisions, technique_tables)

DOC1 = "The evil men came. They left on Monday. Who believes them?"
DOC2 = "Rain fell. The vile thugs returned."
IDS = ["loaded-language", "name-calling", "doubt"]


def _sentences():
    rows = []
    for doc, text, source in (("d1", DOC1, "a"), ("d2", DOC2, "b")):
        start = 0
        for part in text.split(". "):
            part = part if part.endswith(("?", ".")) else part + "."
            s = text.index(part, start)
            rows.append({"sentence_id": f"{doc}-{s}", "doc_id": doc, "source": source, "start": s,
                         "end": s + len(part), "text": part})
            start = s + len(part)
    return pd.DataFrame(rows)


def _decisions(s):
    scores = np.zeros((len(s), 3))
    matched = np.zeros((len(s), 3), bool)
    scores[2, 2], matched[2, 2] = 0.9, True  # "Who believes them?" doubt, decided by the sentence score
    scores[0, 0] = 0.4                       # below threshold, but a span is found in it
    spans = pd.DataFrame([
        {"row": 0, "technique_id": "loaded-language", "start": DOC1.index("evil"), "end": DOC1.index("evil") + 4,
         "score": 0.8, "method": "tagger"},
        {"row": 4, "technique_id": "loaded-language", "start": DOC2.index("vile"), "end": DOC2.index("vile") + 4,
         "score": 0.7, "method": "tagger"},
        {"row": 4, "technique_id": "name-calling", "start": DOC2.index("thugs"), "end": DOC2.index("thugs") + 5,
         "score": 0.9, "method": "tagger"},
    ])
    return Decisions(IDS, scores, matched, np.array([0.5, 0.5, 0.5]), spans, "trained")


def test_spans_index_the_input_text_and_name_their_sentence():
    s = _sentences()
    t = technique_tables(_decisions(s), s)
    spans = t.technique_spans
    assert list(spans.columns) == TECHNIQUE_SPAN_COLUMNS
    texts = {"d1": DOC1, "d2": DOC2}
    assert [texts[d][a:b] for d, a, b in zip(spans.doc_id, spans.start, spans.end)] == spans.text.tolist()
    assert spans.text.tolist() == ["evil", "vile", "thugs"]
    assert spans.sentence_id.tolist() == ["d1-0", "d2-11", "d2-11"]
    assert spans.span_id.is_unique


def test_sentence_table_has_every_sentence_and_technique_and_counts_spans():
    s = _sentences()
    st = technique_tables(_decisions(s), s).sentence_techniques
    assert list(st.columns) == SENTENCE_TECHNIQUE_COLUMNS
    assert len(st) == len(s) * 3
    hits = st[st.matched].set_index(["sentence_id", "technique_id"])
    # a span makes its sentence use the technique even when the sentence score is below the threshold
    assert set(hits.index) == {("d1-0", "loaded-language"), ("d1-40", "doubt"), ("d2-11", "loaded-language"),
                               ("d2-11", "name-calling")}
    assert int(hits.loc[("d1-40", "doubt"), "spans"]) == 0
    assert int(hits.loc[("d2-11", "name-calling"), "spans"]) == 1


def test_document_rollup_counts_sentences_spans_and_keeps_evidence():
    s = _sentences()
    d = technique_tables(_decisions(s), s).document_techniques
    assert list(d.columns) == DOCUMENT_TECHNIQUE_COLUMNS
    assert len(d) == 2 * 3
    row = d.set_index(["doc_id", "technique_id"])
    assert bool(row.loc[("d1", "doubt"), "matched"]) and int(row.loc[("d1", "doubt"), "spans"]) == 0
    assert row.loc[("d1", "doubt"), "evidence_ids"] == ["d1-40"]
    assert row.loc[("d1", "doubt"), "share"] == 1 / 3
    assert not bool(row.loc[("d2", "doubt"), "matched"]) and row.loc[("d2", "doubt"), "evidence_ids"] == []
    assert row.loc[("d2", "name-calling"), "evidence_span_ids"] != []
    assert abs(float(row.loc[("d1", "doubt"), "score"]) - 0.9) < 1e-6


def test_techniques_table_counts_documents_and_sources_per_catalog_technique():
    s = _sentences()
    cat = load_technique_catalog("propaganda")
    dec = _decisions(s)
    dec = Decisions(cat.ids, np.column_stack([dec.scores, np.zeros((len(s), 11))]),
                    np.column_stack([dec.matched, np.zeros((len(s), 11), bool)]), np.full(14, 0.5), dec.spans,
                    "trained")
    t = technique_tables(dec, s, cat).techniques.set_index("technique_id")
    assert list(t.reset_index().columns) == TECHNIQUE_COLUMNS
    assert len(t) == 14
    assert t.loc["loaded-language", "documents"] == 2 and t.loc["loaded-language", "source_names"] == ["a", "b"]
    assert t.loc["loaded-language", "spans"] == 2 and t.loc["name-calling", "sources"] == 1
    assert t.loc["slogans", "documents"] == 0 and t.loc["loaded-language", "span"] == "word"


def test_document_threshold_of_a_trained_model_needs_a_strong_enough_sentence():
    s = _sentences()
    dec = _decisions(s)
    strict = Decisions(dec.technique_ids, dec.scores, dec.matched, dec.thresholds, dec.spans, dec.method,
                       document_thresholds=np.array([0.5, 0.5, 0.95]))
    d = technique_tables(strict, s).document_techniques.set_index(["doc_id", "technique_id"])
    # the doubt sentence (0.9) is matched, but the document needs 0.95: the document does not use it
    assert not bool(d.loc[("d1", "doubt"), "matched"]) and int(d.loc[("d1", "doubt"), "matched_sentences"]) == 1
    assert bool(technique_tables(dec, s).document_techniques.set_index(["doc_id", "technique_id"])
                .loc[("d1", "doubt"), "matched"])

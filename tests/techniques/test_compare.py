"""Techniques compared across groups through framing.compare (the same statistics as frames)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.compare import compare_tables
from framing.compare.items import technique_counts
from framing.config import CompareConfig
from framing.techniques.tables import Decisions, technique_tables


def _run_tables():
    docs, sents = [], []
    for i in range(12):
        source = "loud" if i < 6 else "calm"
        docs.append({"doc_id": f"d{i}", "source": source, "role": "article", "date": f"2024-0{1 + i % 2}-05",
                     "text": "x"})
        for k in range(4):
            sents.append({"sentence_id": f"d{i}s{k}", "doc_id": f"d{i}", "source": source, "start": 10 * k,
                          "end": 10 * k + 9, "text": "Some words."})
    s = pd.DataFrame(sents)
    matched = np.zeros((len(s), 2), bool)
    loud = (s["source"] == "loud").to_numpy()
    matched[loud & s["sentence_id"].str.endswith(("s0", "s1")).to_numpy(), 0] = True  # loud: half its sentences
    matched[s["sentence_id"].eq("d7s0").to_numpy(), 0] = True                         # calm: one sentence
    dec = Decisions(["loaded-language", "doubt"], matched.astype(float), matched, np.array([0.5, 0.5]),
                    pd.DataFrame(columns=["row", "technique_id", "start", "end", "score", "method"]), "trained")
    t = technique_tables(dec, s)
    techniques = pd.DataFrame({"technique_id": ["loaded-language", "doubt"], "label": ["Loaded language", "Doubt"]})
    return {"documents": pd.DataFrame(docs), "sentences": s.assign(topic=-1), **t.as_dict(),
            "techniques": techniques}


def test_technique_counts_follow_the_stage_decisions():
    tables = _run_tables()
    c = technique_counts(tables["sentences"], tables["sentence_techniques"], tables["techniques"],
                         tables["document_techniques"])
    assert c.kind == "technique" and c.items == ["loaded-language", "doubt"]
    assert c.y[:, 0].sum() == 13 and c.m.sum() == 48 and c.used[:, 0].sum() == 7 and not c.used[:, 1].any()
    assert "document_techniques.matched" in c.document_rule


@pytest.mark.parametrize("by", ["source", "month"])
def test_prevalence_by_group_has_technique_rows_with_intervals_and_tests(by):
    out = compare_tables(_run_tables(), by, CompareConfig(bootstrap=200), seed=1)
    prev = out["compare_prevalence"]
    rows = prev[(prev["kind"] == "technique") & (prev["item"] == "loaded-language")].set_index("group")
    assert len(rows) == 2
    if by == "source":
        assert rows.loc["loud", "share_of_sentences"] == pytest.approx(0.5)
        assert rows.loc["calm", "share_of_documents"] == pytest.approx(1 / 6)
        assert rows.loc["calm", "ci_low"] <= 1 / 24 <= rows.loc["calm", "ci_high"]
        assert rows.loc["loud", "q_value"] < 0.05
    assert "technique" in set(out["compare_divergence"]["kind"]) or by == "month"

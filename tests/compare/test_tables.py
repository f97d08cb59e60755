"""Distinctive terms, divergence, timing, trends and outlet-vs-audience on tiny inputs worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framing.compare.audience import AUDIENCE_COLUMNS, audience_table
from framing.compare.divergence import divergence_table
from framing.compare.groups import document_groups, group_columns
from framing.compare.items import frame_counts, topic_counts
from framing.compare.terms import scoped_sentences, terms_table
from framing.compare.timing import timing_table, trend_table
from framing.errors import InputError


def test_terms_z_scores_match_the_formula():
    s = pd.DataFrame({
        "sentence_id": [f"s{i}" for i in range(4)], "doc_id": ["a", "a", "b", "b"], "lang": ["en"] * 4,
        "text": ["pipeline pipeline pipeline oil", "oil pipeline", "hunger families oil", "families hunger"],
    })
    groups = pd.Series({"a": "x", "b": "y"})
    t = terms_table(s, groups, "source", min_count=1, ngram_max=1, prior_scale=0.5)
    x = t[t.group == "x"].set_index("term")
    # x: pipeline 4, oil 2 (n=6); y: hunger 2, families 2, oil 1 (n=5); prior = 0.5 * totals
    totals = {"pipeline": 4, "oil": 3, "hunger": 2, "families": 2}
    a = {w: 0.5 * c for w, c in totals.items()}
    a0 = sum(a.values())
    yi, yj, ni, nj = 4, 0, 6, 5
    d = math.log((yi + a["pipeline"]) / (ni + a0 - yi - a["pipeline"])) - math.log(
        (yj + a["pipeline"]) / (nj + a0 - yj - a["pipeline"]))
    assert x.loc["pipeline", "log_odds"] == pytest.approx(d)
    assert x.loc["pipeline", "z"] == pytest.approx(d / math.sqrt(1 / (yi + 2) + 1 / (yj + 2)))
    assert x.index[0] == "pipeline" and (t.z > 0).all() and set(t.versus) == {"rest"}
    assert set(t[t.group == "y"].term) == {"hunger", "families"}


def test_terms_skip_stop_words_and_respect_two_groups_and_scopes():
    rows = [("a", "en", "the the the oil and the"), ("b", "nl", "de olie en het geld"), ("c", "en", "the troops")] * 10
    s = pd.DataFrame({
        "sentence_id": [f"s{i + 1}" for i in range(len(rows))], "doc_id": [r[0] for r in rows],
        "lang": [r[1] for r in rows], "text": [r[2] for r in rows], "is_fragment": [False] * len(rows),
    })
    groups = pd.Series({"a": "x", "b": "y", "c": "z"})
    t = terms_table(s, groups, "source", a="x", b="y", min_count=1, ngram_max=1)
    assert not set(t.term) & {"the", "and", "de", "en", "het"}
    assert set(zip(t.group, t.versus)) <= {("x", "y"), ("y", "x")}
    sf = pd.DataFrame({"sentence_id": ["s1", "s2"], "frame_id": ["oil", "oil"], "matched": [True, False]})
    assert scoped_sentences(s, sf, "frame:oil").sentence_id.tolist() == ["s1"]
    with pytest.raises(ValueError, match="frame:FRAME_ID"):
        scoped_sentences(s, sf, "oil")


def test_one_sentence_identified_wrongly_gives_no_stop_words_to_the_terms():
    texts = ["The embargo on Cuba stays", "He defended the embargo", "Congress debated the embargo again"] * 4
    s = pd.DataFrame({
        "sentence_id": [f"s{i}" for i in range(13)], "doc_id": ["a", "b"] * 6 + ["a"],
        "lang": ["en"] * 12 + ["es"], "text": texts + ["Mr. Calderón told CNBC."], "is_fragment": [False] * 13,
    })
    t = terms_table(s, pd.Series({"a": "x", "b": "y"}), "source", min_count=1, ngram_max=1)
    assert "embargo" in set(t.term)


def test_divergence_matrix_and_group_without_frames():
    s = pd.DataFrame({"sentence_id": list("abcd"), "doc_id": ["d1", "d2", "d3", "d4"]})
    sf = pd.DataFrame({"sentence_id": list("abcd"), "frame_id": ["f", "g", "f", "f"], "matched": [True, True, True, False]})
    groups = pd.Series({"d1": "x", "d2": "x", "d3": "y", "d4": "z"})
    t = divergence_table(frame_counts(s, sf), groups, "source").set_index(["group_a", "group_b"])
    # x = (1/2, 1/2), y = (1, 0): M = (3/4, 1/4); JSD = .5 KL(x||M) + .5 KL(y||M)
    kl_x = 0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(0.5 / 0.25)
    kl_y = math.log2(1 / 0.75)
    assert t.loc[("x", "y"), "jsd"] == pytest.approx(0.5 * kl_x + 0.5 * kl_y)
    assert t.loc[("x", "y"), "jsd"] == t.loc[("y", "x"), "jsd"] and t.loc[("x", "x"), "jsd"] == 0
    assert np.isnan(t.loc[("z", "x"), "jsd"])  # z matched no frame: nothing to compare
    assert t.loc[("x", "z"), "few_documents"]


def test_timing_first_dates_lags_and_ties():
    s = pd.DataFrame({"sentence_id": list("abcde"), "doc_id": ["d1", "d2", "d3", "d4", "d5"],
                      "topic": [0, 0, 0, 0, 1]})
    groups = pd.Series({"d1": "x", "d2": "y", "d3": "z", "d4": "y", "d5": "x"})
    dates = pd.Series({"d1": "2020-01-10", "d2": "2020-01-03", "d3": "2020-01-03", "d4": None, "d5": "2021-01-01"})
    t = timing_table(topic_counts(s), groups, dates, "source")
    zero = t[t["item"] == "0"].set_index("group")
    assert zero.loc["x", "lag_days"] == 7 and zero.loc["y", "lag_days"] == 0 and zero.loc["z", "lag_days"] == 0
    assert zero.loc["y", "rank"] == zero.loc["z", "rank"] == 1 and zero.loc["x", "rank"] == 2
    assert set(zero.first_group) == {"y, z"} and zero.shared.all() and (zero.groups_using == 3).all()
    assert zero.loc["y", "undated_documents"] == 1 and zero.loc["y", "first_doc_id"] == "d2"
    one = t[t["item"] == "1"]
    assert len(one) == 1 and not one.shared.iloc[0]


def test_trend_shares_by_month():
    s = pd.DataFrame({"sentence_id": list("abcd"), "doc_id": ["d1", "d1", "d2", "d3"], "topic": [0, 1, 0, 0]})
    groups = pd.Series({"d1": "x", "d2": "x", "d3": "x"})
    dates = pd.Series({"d1": "2020-01-10", "d2": "2020-01-20", "d3": "2020-02-01"})
    t = trend_table(topic_counts(s), groups, dates, "source").set_index(["month", "item"])
    assert t.loc[("2020-01", "0"), "share_of_sentences"] == pytest.approx(2 / 3)
    assert t.loc[("2020-01", "0"), "share_of_documents"] == 1.0
    assert t.loc[("2020-01", "1"), "share_of_documents"] == 0.5
    assert t.loc[("2020-02", "0"), "group_sentences"] == 1
    assert ("2020-02", "1") not in t.index  # absent rows are zero


def audience_corpus():
    docs = pd.DataFrame({
        "doc_id": ["a1", "c1", "c2", "a2", "c3", "a3"], "page_id": ["p1", "p1", "p1", "p2", "p2", "p3"],
        "role": ["article", "comment", "comment", "article", "comment", "article"],
    })
    sentences = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(8)],
                              "doc_id": ["a1", "a1", "c1", "c2", "a2", "a2", "c3", "a3"]})
    matched = {("s0", "oil"), ("s2", "oil"), ("s3", "war"), ("s4", "oil")}
    sf = pd.DataFrame([(s, f, (s, f) in matched) for s in sentences.sentence_id for f in ("oil", "war")],
                      columns=["sentence_id", "frame_id", "matched"])
    groups = pd.Series({d: "rt" for d in docs.doc_id})
    return docs, sentences, sf, groups


def test_audience_page_responses_and_group_shares():
    docs, sentences, sf, groups = audience_corpus()
    t = audience_table(frame_counts(sentences, sf), docs, groups, "source", seed=1, n_boot=200)
    assert list(t.columns) == AUDIENCE_COLUMNS
    pages = t[t.level == "page"].set_index(["page_id", "item"])
    assert pages.loc[("p1", "oil"), "response"] == "amplify"     # article and comment c1
    assert pages.loc[("p1", "war"), "response"] == "introduce"   # only comment c2
    assert pages.loc[("p2", "oil"), "response"] == "ignore"      # comment c3 does not use it
    assert pages.loc[("p1", "oil"), "outlet_share_of_sentences"] == 0.5
    assert pages.loc[("p1", "oil"), "audience_share_of_comments"] == 0.5
    assert "p3" not in set(t.page_id)  # no comments: not an outlet-audience page
    g = t[(t.level == "group") & (t["item"] == "oil")].iloc[0]
    # pooled over p1 and p2: outlet 2 of 4 sentences, audience 1 of 3
    assert g.outlet_share_of_sentences == 0.5 and g.audience_share_of_sentences == pytest.approx(1 / 3)
    assert g.difference == pytest.approx(1 / 3 - 0.5) and g.ci_low <= g.difference <= g.ci_high
    assert (g.amplified_pages, g.ignored_pages, g.introduced_pages) == (1, 1, 0) and g.few_documents


def test_audience_empty_without_comments():
    docs, sentences, sf, groups = audience_corpus()
    docs = docs.assign(role="article")
    assert audience_table(frame_counts(sentences, sf), docs, groups, "source").empty


def test_groups_from_meta_month_and_errors():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["fox", "nyt", None], "date": ["2020-01-02", None, "2020-02-03"],
                         "meta": ['{"bias": "right", "n": 2}', '{"bias": "left"}', None], "text": ["", "", ""]})
    assert document_groups(docs, "bias").tolist() == ["right", "left", "unknown"]
    assert document_groups(docs, "n").tolist() == ["2", "unknown", "unknown"]
    assert document_groups(docs, "month").tolist() == ["2020-01", "unknown", "2020-02"]
    assert document_groups(docs, "source").tolist() == ["fox", "nyt", "unknown"]
    assert {"month", "source", "bias", "n"} <= set(group_columns(docs)) and "text" not in group_columns(docs)
    with pytest.raises(InputError, match=r"Cannot group by 'stance'.*corpus.fields.keep=\[FIELD\]"):
        document_groups(docs, "stance")


def test_divergence_matrix_equals_the_pairwise_definition():
    from framing.stats import jensen_shannon

    rng = np.random.default_rng(2)
    s = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(300)], "doc_id": [f"d{i % 40}" for i in range(300)],
                      "topic": rng.integers(0, 6, 300)})
    groups = pd.Series({f"d{i}": f"g{i % 5}" for i in range(40)})
    counts = topic_counts(s)
    t = divergence_table(counts, groups, "source")
    for r in t.itertuples(index=False):
        ya = counts.y[groups.reindex(counts.doc_ids).to_numpy() == r.group_a].sum(0)
        yb = counts.y[groups.reindex(counts.doc_ids).to_numpy() == r.group_b].sum(0)
        assert r.jsd == pytest.approx(jensen_shannon(ya, yb), abs=1e-12)

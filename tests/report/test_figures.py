"""Figure structure, checked through ``fig.to_dict()`` against the run's own tables."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

from framing.errors import ReportError
from framing.report import build_figures
from framing.report.common import OUTLIER_COLOR, OUTLIER_NAME, pct_format, topic_colors
from framing.report.sections.topics import sample_index

from .conftest import EVIL_LABEL, EVIL_SOURCE, PAYLOADS


def arr(value) -> np.ndarray:
    """Plotly >= 6 writes numpy data in to_dict() as base64 typed arrays; decode them."""
    if isinstance(value, dict) and "bdata" in value:
        out = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return out.reshape([int(n) for n in str(shape).split(",")]) if shape else out
    return np.asarray(value)


def test_all_figures_built(tables):
    figs = build_figures(tables, seed=42)
    assert list(figs) == ["frame_prevalence", "frames_by_source", "frames_by_role", "frames_over_time", "audience",
                          "first_use", "sentence_map", "topic_sizes", "topics_per_source"]


def test_map_traces_points_and_colors(tables):
    d = build_figures(tables)["sentence_map"].to_dict()
    traces, s = d["data"], tables["sentences"]
    assert {t["type"] for t in traces} == {"scattergl"}
    assert sum(len(arr(t["x"])) for t in traces) == int(s["map_x"].notna().sum())
    assert traces[0]["name"] == OUTLIER_NAME and traces[0]["marker"]["color"] == OUTLIER_COLOR
    assert len(arr(traces[0]["x"])) == int(((s["topic"] == -1) & s["map_x"].notna()).sum())
    real = sorted(set(s["topic"]) - {-1})
    assert [t["marker"]["color"] for t in traces[1:]] == [topic_colors(real)[t] for t in real]
    assert d["layout"]["xaxis"]["title"]["text"] == "Map dimension 1"


def test_labels_and_hovers_are_escaped(tables):
    figs = build_figures(tables)
    blob = repr([f.to_dict() for f in figs.values()])
    for raw in PAYLOADS:
        assert raw not in blob
    assert "&lt;img src=x onerror=&quot;window.__xss=2;alert(2)&quot;&gt;" in blob  # the source name, as text
    assert "&lt;script&gt;window.__xss=1" in blob


def test_map_hover_locates_the_sentence(tables):
    traces = build_figures(tables)["sentence_map"].to_dict()["data"]
    hovers = [h for t in traces for h in t["text"]]
    s = tables["sentences"].dropna(subset=["map_x"]).iloc[0]
    hover = next(h for h in hovers if h.endswith(f"· {s.sentence_id}</i>"))
    assert s.source.replace("<", "&lt;") .split(" ")[0] in hover and s.role in hover


def test_far_off_points_do_not_squash_the_map(tables):
    s = tables["sentences"].copy()
    s.loc[s.index[0], "map_x"] = s["map_x"].max() + 1e6
    d = build_figures({**tables, "sentences": s})["sentence_map"].to_dict()["layout"]
    lo, hi = d["xaxis"]["range"]
    assert hi < s["map_x"].max() and hi - lo < 1e5
    assert "1 far-off point(s) lie outside this view" in d["title"]["text"]


def test_map_sample_is_seeded_and_said(tables):
    base = tables["sentences"].dropna(subset=["map_x"])
    big = pd.concat([base.assign(sentence_id=base["sentence_id"] + f"-{i}", map_x=base["map_x"] + i * 0.01)
                     for i in range(40)], ignore_index=True)
    small = {"sentences": big}

    def points(seed):
        data = build_figures(small, seed=seed, max_points=500)["sentence_map"].to_dict()["data"]
        return np.sort(np.concatenate([arr(t["x"]) for t in data]))

    a, b, c = points(1), points(1), points(2)
    assert len(a) == 500 and np.array_equal(a, b) and not np.array_equal(a, c)
    title = build_figures(small, seed=1, max_points=500)["sentence_map"].layout.title.text
    assert f"a seeded sample of 500 of {len(big):,} (seed 1)" in title


def test_sample_index_keeps_all_when_small():
    assert sample_index(10, 100, seed=3).tolist() == list(range(10))
    idx = sample_index(1000, 100, seed=3)
    assert len(set(idx)) == 100 and list(idx) == sorted(idx)


def test_no_frame_shares_without_compare_prevalence(tables):
    tables.pop("compare_prevalence")
    figs = build_figures(tables)
    # compare_prevalence is the one home of shares by source: no other table is divided in its place
    assert "frame_prevalence" not in figs and "frames_by_source" not in figs and "topics_per_source" not in figs
    assert "sentence_map" in figs and "topic_sizes" in figs


def _e(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_frame_prevalence_draws_intervals_from_compare_prevalence(tables):
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame")]
    labels = dict(zip(tables["frames"]["frame_id"], tables["frames"]["label"]))
    d = build_figures(tables)["frame_prevalence"].to_dict()
    checked = 0
    for t in d["data"]:
        for i, x in enumerate(t["x"]):
            fid = next(f for f, lab in labels.items() if x == _e(lab))
            row = cp[(cp["item"] == fid) & (cp["group"].map(_e) == t["name"])]
            if row.empty:
                continue
            r = row.iloc[0]
            assert arr(t["y"])[i] == pytest.approx(r.share_of_documents)
            assert arr(t["error_y"]["array"])[i] == pytest.approx(max(0, r.documents_ci_high - r.share_of_documents))
            assert arr(t["error_y"]["arrayminus"])[i] == pytest.approx(max(0, r.share_of_documents - r.documents_ci_low))
            checked += 1
    assert checked == len(cp)
    title = d["layout"]["title"]["text"]
    assert "share of the source&#x27;s documents with a counted sentence" in title and "95% interval" in title


def test_frames_by_role_from_compare_prevalence(tables):
    d = build_figures(tables)["frames_by_role"].to_dict()
    cp = tables["compare_prevalence"]
    assert {t["name"] for t in d["data"]} == set(cp[(cp["by"] == "role") & (cp["kind"] == "frame")]["group"])


def test_source_frame_heatmap_cells_are_the_table(tables):
    (hm,) = build_figures(tables)["frames_by_source"].to_dict()["data"]
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame")]
    labels = dict(zip(tables["frames"]["frame_id"], tables["frames"]["label"]))
    z = arr(hm["z"])
    assert set(hm["y"]) == set(cp["group"].map(_e))
    for r in cp.itertuples():
        got = z[list(hm["y"]).index(_e(r.group)), list(hm["x"]).index(_e(labels[r.item]))]
        assert got == pytest.approx(r.share_of_documents)
    assert EVIL_SOURCE not in hm["y"]


def test_topics_per_source_shares(tables):
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "topic")]
    (hm,) = build_figures(tables)["topics_per_source"].to_dict()["data"]
    z = arr(hm["z"])
    for r in cp.itertuples():
        i = next(k for k, y in enumerate(hm["y"]) if y == _e(r.label) or y.startswith(f"{r.item}:"))
        assert z[i, list(hm["x"]).index(_e(r.group))] == pytest.approx(r.share_of_sentences)


def test_ticks_are_readable(tables):
    assert pct_format(0.04) != ".0%" and pct_format(0.5) == ".0%"
    (hm,) = build_figures(tables)["frames_by_source"].to_dict()["data"]
    top = np.nanmax(arr(hm["z"]))
    assert hm["colorbar"]["tickformat"] == pct_format(top)


def test_missing_frame_tables_leave_out_the_frame_figures(tables):
    for name in ("sentence_frames", "frames", "topic_frames", "document_frames"):
        tables.pop(name)
    cp = tables["compare_prevalence"]
    tables["compare_prevalence"] = cp[cp["kind"] != "frame"]
    figs = build_figures(tables)
    assert "frame_prevalence" not in figs and "sentence_map" in figs


def test_ingest_only_run_has_no_topic_figures(tables):
    s = tables["sentences"].drop(columns=["topic", "topic_prob", "map_x", "map_y"]).assign(topic=-1)
    assert build_figures({"documents": tables["documents"], "sentences": s}) == {}


def test_table_without_needed_column_is_a_report_error(tables):
    tables["sentences"] = tables["sentences"].drop(columns=["doc_id"])
    with pytest.raises(ReportError, match=r"Table 'sentences' lacks the column\(s\) doc_id"):
        build_figures(tables)


def test_frame_label_payload_reaches_figures_escaped(tables):
    d = build_figures(tables)["frames_by_source"].to_dict()
    assert EVIL_LABEL not in d["data"][0]["x"]
    assert any("&lt;script&gt;" in x for x in d["data"][0]["x"])


def test_frames_over_time_reads_compare_trend(tables):
    # The columns of compare_trend (README, Outputs); months out of order and one unknown on purpose.
    trend = pd.DataFrame({"by": "source", "kind": "frame", "item": "us-there-for-oil", "label": "The US is there for the oil",
                          "group": ["alpha news", "alpha news", "alpha news", "gamma nl"],
                          "month": ["2020-04", "2020-03", "unknown", "2020-04"], "sentences": [1, 2, 1, 3],
                          "group_sentences": [6, 6, 2, 8], "share_of_sentences": [1 / 6, 2 / 6, 0.5, 3 / 8],
                          "documents": [1, 1, 1, 1], "group_documents": [1, 1, 1, 2],
                          "share_of_documents": [1.0, 1.0, 1.0, 0.5]})
    d = build_figures({**tables, "compare_trend": trend})["frames_over_time"].to_dict()
    assert d["layout"]["xaxis"]["categoryarray"] == ["2020-03", "2020-04"]
    alpha = [t for t in d["data"] if t["visible"] is True]
    assert len(alpha) == 1 and arr(alpha[0]["y"]).tolist() == [1.0, 1.0]
    assert [b["label"] for b in d["layout"]["updatemenus"][0]["buttons"]] == ["alpha news", "gamma nl"]
    assert "share of the source&#x27;s documents with a counted sentence per month" in d["layout"]["title"]["text"]
    gamma = next(t for t in d["data"] if t["visible"] is False)
    assert np.isnan(arr(gamma["y"])[0]) and arr(gamma["y"])[1] == 0.5  # March: no gamma document, a gap, not 0%
    sizes = arr(gamma["marker"]["size"])
    assert sizes[1] > arr(alpha[0]["marker"]["size"])[1]  # two documents weigh more than one


def test_topic_sizes_title_counts_every_topic(tables):
    from framing.report.sections import topics as figures

    old = figures.MAX_TOPICS_SHOWN
    n = int((tables["topics"]["topic"] != -1).sum())
    assert n >= 2
    figures.MAX_TOPICS_SHOWN = n - 1
    try:
        d = build_figures(tables)["topic_sizes"].to_dict()
    finally:
        figures.MAX_TOPICS_SHOWN = old
    assert len(d["data"][0]["y"]) == n - 1 and f"the largest {n - 1} of {n}" in d["layout"]["title"]["text"]


def test_audience_bars_are_the_audience_table(tables):
    d = build_figures(tables)["audience"].to_dict()
    au = tables["compare_audience"]
    au = au[(au["by"] == "source") & (au["level"] == "group") & (au["kind"] == "frame")]
    labels = dict(zip(tables["frames"]["frame_id"], tables["frames"]["label"]))
    checked = 0
    for t in d["data"]:
        group, side = t["name"].rsplit(": ", 1)
        col, lo, hi = (("outlet_share_of_sentences", "outlet_ci_low", "outlet_ci_high") if side == "articles"
                       else ("audience_share_of_sentences", "audience_ci_low", "audience_ci_high"))
        for i, x in enumerate(t["x"]):
            row = au[(au["group"].map(_e) == group) & (au["item"].map(lambda f: _e(labels[f])) == x)]
            r = row.iloc[0]
            assert arr(t["y"])[i] == pytest.approx(0.0 if pd.isna(r[col]) else r[col])
            contest = r.get("contested_pages", float("nan"))
            assert list(t["customdata"][i])[4] == ("contest not measurable (no counter-frame)" if pd.isna(contest)
                                                   else f"{int(contest)} contest")
            if "error_y" in t and not pd.isna(r[hi]):
                assert arr(t["error_y"]["array"])[i] == pytest.approx(max(0.0, r[hi] - r[col]))
            checked += 1
    assert checked == 2 * len(au) > 0
    assert "compare_audience" in d["layout"]["title"]["text"]
    # one source at a time: the menu shows the others
    assert sum(bool(t.get("visible", True)) for t in d["data"]) == 2


def test_first_use_timeline_is_the_timing_table(tables):
    d = build_figures(tables)["first_use"].to_dict()
    tm = tables["compare_timing"]
    tm = tm[(tm["by"] == "source") & (tm["kind"] == "frame") & tm["first_date"].notna()]
    labels = dict(zip(tables["frames"]["frame_id"], tables["frames"]["label"]))
    points = {(t["name"], y, x) for t in d["data"][1:] for x, y in zip(t["x"], t["y"])}
    assert points == {(_e(r.group), _e(labels[r.item]), r.first_date) for r in tm.itertuples()}
    assert EVIL_SOURCE not in {t.get("name") for t in d["data"]}


def test_topics_per_source_switches_to_documents(tables):
    fig = build_figures(tables)["topics_per_source"].to_dict()
    (menu,) = fig["layout"]["updatemenus"]
    assert [b["label"] for b in menu["buttons"]] == ["share of sentences", "share of documents"]
    z_docs = arr(menu["buttons"][1]["args"][0]["z"][0])
    (hm,) = fig["data"]
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "topic")]
    for r in cp.itertuples():
        i = next(k for k, y in enumerate(hm["y"]) if y == _e(r.label) or y.startswith(f"{r.item}:"))
        assert z_docs[i, list(hm["x"]).index(_e(r.group))] == pytest.approx(r.share_of_documents)


def test_topic_sizes_count_documents_and_hatch_fragile_topics(tables):
    topics = tables["topics"]
    real = topics[topics["topic"] >= 0]
    tables["topics"] = topics.assign(stable=topics["topic"] % 2 == 0)
    (bar,) = build_figures(tables)["topic_sizes"].to_dict()["data"]
    dt = tables["document_topics"]
    per_topic = dt[dt["sentences"] > 0].groupby("topic")["doc_id"].nunique()
    custom = np.asarray(bar["customdata"], dtype=object)
    names = list(bar["y"])
    for t in real["topic"]:
        k = next(i for i, y in enumerate(names) if y.startswith(f"{t}:") or y.startswith(f"{t}_"))
        assert int(custom[k][0]) == per_topic.get(t, 0)
        assert custom[k][1] == ("stable core" if t % 2 == 0 else "fragile")
        assert bar["marker"]["pattern"]["shape"][k] == ("" if t % 2 == 0 else "/")


def test_any_kept_field_grouping_gets_its_frame_figure(tables):
    cp = tables["compare_prevalence"]
    extra = cp[(cp["by"] == "source") & (cp["kind"] == "frame")].assign(by="bias <b>")
    tables["compare_prevalence"] = pd.concat([cp, extra], ignore_index=True)
    figs = build_figures(tables)
    d = figs["frames_by_bias__b_"].to_dict()
    assert {t["name"] for t in d["data"]} == set(extra["group"].map(_e)) and "bias &lt;b&gt;" in d["layout"]["title"]["text"]


def test_source_heatmap_names_each_denominator(tables):
    (hm,) = (fig := build_figures(tables)["frames_by_source"].to_dict())["data"]
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame")]
    ticks = dict(zip(fig["layout"]["yaxis"]["tickvals"], fig["layout"]["yaxis"]["ticktext"]))
    for g, part in cp.groupby("group"):
        star = "*" if part["few_documents"].any() else ""
        assert ticks[_e(g)] == f"{_e(g)} ({int(part['group_documents'].max()):,}{star})"

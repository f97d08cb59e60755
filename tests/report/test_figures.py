"""Figure structure, checked through ``fig.to_dict()``."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from framing.errors import ReportError
from framing.report import build_figures
from framing.report.figures import OUTLIER_COLOR, OUTLIER_NAME, sample_index, topic_colors

from .conftest import IMG, SCRIPT

FRAME_TABLES = ("sentence_frames", "frames", "topic_frames")


def arr(value) -> np.ndarray:
    """Plotly >= 6 writes numpy data in to_dict() as base64 typed arrays; decode them."""
    if isinstance(value, dict) and "bdata" in value:
        out = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return out.reshape([int(n) for n in str(shape).split(",")]) if shape else out
    return np.asarray(value)


def test_all_figures_built(tables):
    figs = build_figures(tables, seed=42)
    assert list(figs) == ["sentence_map", "topic_sizes", "topics_per_source", "topics_by_role", "frames_per_source"]


def test_map_traces_points_and_colors(tables):
    d = build_figures(tables)["sentence_map"].to_dict()
    traces = d["data"]
    assert {t["type"] for t in traces} == {"scattergl"}
    assert sum(len(arr(t["x"])) for t in traces) == len(tables["sentences"]) == 30
    assert traces[0]["name"] == OUTLIER_NAME and traces[0]["marker"]["color"] == OUTLIER_COLOR
    assert len(arr(traces[0]["x"])) == int((tables["sentences"]["topic"] == -1).sum())
    colors = [t["marker"]["color"] for t in traces[1:]]
    assert len(set(colors)) == 3 and OUTLIER_COLOR not in colors
    assert colors == [topic_colors([0, 1, 2])[t] for t in (0, 1, 2)]
    assert d["layout"]["xaxis"]["title"]["text"] == "Map dimension 1"
    assert d["layout"]["yaxis"]["title"]["text"] == "Map dimension 2"


def test_map_hover_is_escaped_and_locates_the_sentence(tables):
    traces = build_figures(tables)["sentence_map"].to_dict()["data"]
    hovers = [h for t in traces for h in t["text"]]
    joined = "\n".join(hovers) + "\n".join(t["name"] for t in traces)
    for raw in (SCRIPT, IMG, "<script", "<img", "</script"):
        assert raw not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined
    s = tables["sentences"].iloc[0]
    hover = next(h for h in hovers if f"· {s.sentence_id}</i>" in h)
    assert f"doc {s.doc_id} [{s.start}–{s.end}]" in hover and s.source in hover and s.role in hover


def test_map_hover_truncates_long_text(tables):
    tables["sentences"].loc[0, "text"] = "word " * 200
    hovers = [h for t in build_figures(tables)["sentence_map"].to_dict()["data"] for h in t["text"]]
    longest = max(hovers, key=len)
    assert "…" in longest and len(longest) < 600


def test_map_sample_is_seeded(tables, big_sentences):
    tables = {"sentences": big_sentences}

    def points(seed):
        data = build_figures(tables, seed=seed, max_points=500)["sentence_map"].to_dict()["data"]
        return np.concatenate([arr(t["x"]) for t in data])

    a, b, c = points(1), points(1), points(2)
    assert len(a) == 500 and np.array_equal(a, b) and not np.array_equal(a, c)
    title = build_figures(tables, seed=1, max_points=500)["sentence_map"].layout.title.text
    assert "500 of 3,000" in title and "seed 1" in title


def test_sample_index_keeps_all_when_small():
    assert sample_index(10, 100, seed=3).tolist() == list(range(10))
    idx = sample_index(1000, 100, seed=3)
    assert len(set(idx)) == 100 and list(idx) == sorted(idx)


def test_map_drops_sentences_without_coordinates(tables):
    tables["sentences"].loc[:4, "map_x"] = np.nan
    data = build_figures(tables)["sentence_map"].to_dict()["data"]
    assert sum(len(arr(t["x"])) for t in data) == 25


def test_topic_sizes_bar(tables):
    d = build_figures(tables)["topic_sizes"].to_dict()
    (bar,) = d["data"]
    assert bar["type"] == "bar" and bar["orientation"] == "h"
    assert len(bar["y"]) == 3 and not any("Outlier" in y for y in bar["y"])
    assert arr(bar["x"]).tolist() == [8, 8, 8]
    assert "&lt;img" in bar["y"][1] and "<img" not in bar["y"][1]
    assert d["layout"]["xaxis"]["title"]["text"] == "Sentences"


def test_topics_per_source_shares(tables):
    d = build_figures(tables)["topics_per_source"].to_dict()
    (hm,) = d["data"]
    assert hm["type"] == "heatmap" and list(hm["x"]) == ["alpha_news", "beta_forum", "gamma_blog"]
    z = arr(hm["z"])
    assert z.shape == (4, 3)  # 3 topics + outliers, 3 sources
    np.testing.assert_allclose(z.sum(axis=0), 1.0)
    assert hm["y"][-1] == OUTLIER_NAME
    s = tables["sentences"]
    expected = ((s["source"] == "alpha_news") & (s["topic"] == 0)).sum() / (s["source"] == "alpha_news").sum()
    assert z[list(hm["y"]).index("0_energy_prices"), 0] == pytest.approx(expected)


def test_topics_by_role_grouped(tables):
    d = build_figures(tables)["topics_by_role"].to_dict()
    assert d["layout"]["barmode"] == "group"
    assert [t["name"] for t in d["data"]] == ["article", "comment", "post"]
    for t in d["data"]:
        assert t["type"] == "bar" and arr(t["y"]).sum() == pytest.approx(1.0)


def test_frames_per_source_counts(tables):
    (hm,) = build_figures(tables)["frames_per_source"].to_dict()["data"]
    sf, s = tables["sentence_frames"], tables["sentences"]
    m = sf[sf["matched"]].merge(s, on="sentence_id")
    expected = m[m["frame_id"] == "conspiracy"].groupby("source").size().reindex(hm["x"], fill_value=0)
    assert arr(hm["text"])[1].tolist() == expected.tolist()
    assert "&lt;script&gt;" in hm["y"][1]


def test_missing_frame_tables_leave_out_the_frame_figure(tables):
    for name in FRAME_TABLES:
        tables.pop(name)
    figs = build_figures(tables)
    assert "frames_per_source" not in figs and "sentence_map" in figs


def test_table_without_needed_column_is_a_report_error(tables):
    tables["sentences"] = tables["sentences"].drop(columns=["doc_id"])
    with pytest.raises(ReportError, match=r"Table 'sentences' lacks the column\(s\) doc_id"):
        build_figures(tables)

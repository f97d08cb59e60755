"""The Python API: framing.analyze / load_run and the Run object."""

from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.errors import ConfigError, InputError, RunStoreError

TINY = Path(__file__).parent / "data" / "tiny"
FAST = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
            topics__min_cluster_size=3, topics__n_neighbors=5)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "tiny"
    return framing.analyze([TINY], frames=[str(Path(__file__).parent / "data" / "tiny_frames.yaml")], out=out,
                           seed=3, **FAST)


def test_run_tables_are_the_folder_tables(run):
    assert run.seed == 3 and run.meta["config"]["topics"]["reducer"] == "pca"
    assert set(run.sentences.doc_id) <= set(run.documents.doc_id)
    assert {"frame_id", "label"} <= set(run.frames.columns)
    assert "topic_prevalence" in run.comparisons
    loaded = framing.load_run(run.run_dir)
    pd.testing.assert_frame_equal(loaded.sentence_frames, run.sentence_frames)


def test_topic_prevalence_is_a_view_of_compare_trend(run):
    assert "topic_prevalence" not in run.table_names()  # one home: compare_trend
    tp = run.topic_prevalence
    ct = run.table("compare_trend")
    ct = ct[(ct.by == "source") & (ct.kind == "topic")]
    assert len(tp) == len(ct) > 0 and set(tp["by"]) == {"source"}
    pd.testing.assert_series_equal(tp.set_index(["group", "month", "topic"]).share_of_sentences.sort_index(),
                                   ct.assign(topic=ct["item"].astype(int)).set_index(["group", "month", "topic"])
                                   .share_of_sentences.sort_index())
    assert run.comparisons["topic_prevalence"].equals(tp)


def test_source_frames_is_a_view_of_compare_prevalence(run):
    assert "source_frames" not in run.table_names()  # one home: compare_prevalence
    sf = run.source_frames.set_index(["source", "frame_id"])
    cp = run.table("compare_prevalence")
    cp = cp[(cp.by == "source") & (cp.kind == "frame")].set_index(["group", "item"])
    assert len(sf) == len(cp) > 0
    for (g, f), r in cp.iterrows():
        assert sf.loc[(g, f), "share"] == r.share_of_sentences and sf.loc[(g, f), "documents"] == r.documents
        assert sf.loc[(g, f), "document_share"] == r.share_of_documents


def test_a_single_source_still_gets_its_prevalence(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in sorted(TINY.glob("*.txt"))]
    df = pd.DataFrame({"text": texts, "source": "only"})
    one = framing.analyze(df, frames=[str(Path(__file__).parent / "data" / "tiny_frames.yaml")],
                          out=tmp_path / "one", **FAST)
    cp = one.table("compare_prevalence")
    cp = cp[cp.by == "source"]
    assert set(cp.group) == {"only"} and set(cp.kind) == {"topic", "frame"}
    assert cp.p_value.isna().all()  # nothing to test against
    for name in ("compare_divergence", "compare_terms"):
        assert "source" not in set(one.table(name).by)
    assert "frame_prevalence" in one.figures.names()


def test_figures_and_report(run, tmp_path):
    fig = run.figures.frames_by_source()
    data = fig.to_dict()["data"][0]
    axes = set(data.get("x") or []) | set(data.get("y") or [])
    assert data["type"] == "heatmap" and {"alpha-news", "beta-blog", "gamma-nl"} <= axes
    assert "topic_sizes" in run.figures.names()
    with pytest.raises(RunStoreError, match="no figure 'nope'"):
        run.figures.nope()
    path = run.report(tmp_path / "r.html")
    assert "<html" in path.read_text()[:500].lower()


def test_missing_table_names_the_tables_that_exist(tmp_path):
    plain = framing.analyze(TINY, out=tmp_path / "plain", **FAST)
    with pytest.raises(RunStoreError, match="no table 'frames'.*Frames were not matched"):
        plain.frames


def test_bad_override_names_its_dotted_path():
    with pytest.raises(ConfigError, match="topics.min_cluster_siz"):
        framing.analyze(TINY, topics__min_cluster_siz=3)


def test_bad_input_type_is_explained():
    with pytest.raises(InputError, match="a path, a list of paths, or a pandas DataFrame"):
        framing.analyze(42)


def test_dataframe_is_kept_in_the_run(tmp_path):
    df = pd.DataFrame({"body": ["Sanctions hurt ordinary families who need bread and fuel.",
                                "The troops are only there for the oil fields in the east."],
                       "outlet": ["x", "y"]})
    run = framing.analyze(df, text_field="body", source_field="outlet", out=tmp_path / "df", **FAST)
    kept = Path(run.meta["paths"][0])
    assert kept.is_file() and kept.is_relative_to(run.run_dir)
    assert pd.read_parquet(kept).body.tolist() == df.body.tolist()
    assert sorted(run.documents.source) == ["x", "y"]


def test_load_run_of_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(RunStoreError, match="has no run.json"):
        framing.load_run(tmp_path)

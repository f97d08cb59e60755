import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from framing.config import FramesConfig
from framing.errors import RunStoreError
from framing.frames import frame_rollups, load_catalog, suggest_from_run, topic_frame_labels
from framing.frames.catalog import parse_catalog
from framing.frames.cli import frames_app


@pytest.fixture
def topics():
    return pd.DataFrame({
        "topic": [0, 1, 2, 3],
        "label": ["0_oil_olie", "1_withdraw_defeat", "2_football_match", "3_media_lies"],
        "keywords": [["oil", "olie"], ["withdraw", "defeat"], ["football", "match", "voetbal"], ["media", "lies"]],
        "size": [2, 1, 3, 2],
        "representative_ids": [["a1"], ["a2"], ["a5", "c3"], ["b2"]],
        "languages": [["en", "nl"], ["en"], ["en", "nl"], ["en", "nl"]],
        "sources": [["alpha", "beta"], ["alpha"], ["alpha", "beta", "gamma"], ["beta", "gamma"]],
    })


@pytest.fixture
def tables(sentence_frames, sentences, topics, tiny_catalog):
    return frame_rollups(sentence_frames, sentences, topics, tiny_catalog, FramesConfig(topic_min_sentences=1))


def test_frames_table_counts_and_evidence(tables):
    f = tables.frames.set_index("frame_id")
    assert f.loc["us-there-for-oil", ["sentences", "documents", "sources"]].tolist() == [2, 2, 2]
    assert f.loc["media-lies", "source_names"] == ["beta", "gamma"]
    assert f.loc["withdrawal-defeat", "evidence_ids"] == ["a2"]
    assert set(f.loc["us-there-for-oil", "evidence_ids"]) == {"a1", "b1"}
    assert f.loc["us-there-for-oil", "evidence_ids"][0] == "b1"  # highest score first


def test_topic_frames_express(tables, tiny_catalog):
    tf = tables.topic_frames
    expressed = set(map(tuple, tf.loc[tf.expresses, ["topic", "frame_id"]].to_numpy()))
    assert expressed == {(0, "us-there-for-oil"), (1, "withdrawal-defeat"), (3, "media-lies")}
    row = tf[(tf.topic == 0) & (tf.frame_id == "us-there-for-oil")].iloc[0]
    assert row.share == 1.0 and row.matched_sentences == 2
    assert -1 not in set(tf.topic)
    assert topic_frame_labels(tf, tiny_catalog) == {0: ["The US is there for the oil"], 1: ["Withdrawal is a defeat"],
                                                    3: ["The media lie"]}


def test_topic_min_sentences(sentence_frames, sentences, topics, tiny_catalog):
    strict = frame_rollups(sentence_frames, sentences, topics, tiny_catalog, FramesConfig(topic_min_sentences=2))
    expressed = set(strict.topic_frames.loc[strict.topic_frames.expresses, "topic"])
    assert expressed == {0, 3}


def test_document_frames(tables):
    d = tables.document_frames.set_index(["doc_id", "frame_id"])
    assert d.loc[("docA", "us-there-for-oil"), "evidence_id"] == "a1"
    assert d.loc[("docA", "us-there-for-oil"), "share"] == pytest.approx(1 / 4)  # fragment a4 not counted
    assert not hasattr(tables, "source_frames")  # shares per source live in framing.compare only


def test_candidates_are_recurring_unmatched_topics(tables):
    c = tables.candidates
    assert c.topic.tolist() == [2]
    assert c.iloc[0].sources == ["alpha", "beta", "gamma"]
    assert set(c.iloc[0].evidence_ids) >= {"a5", "c3", "b4"}  # one more from the unseen source/language


def test_traceable_to_offsets(tables, sentences):
    ids = tables.frames.set_index("frame_id").loc["media-lies", "evidence_ids"]
    rows = sentences.set_index("sentence_id").loc[ids]
    assert rows[["doc_id", "source", "start", "end"]].notna().all().all()


def test_suggest_writes_valid_stub(tmp_path, tables, sentences, topics):
    run = tmp_path / "run"
    (run / "tables").mkdir(parents=True)
    topics.to_parquet(run / "tables" / "topics.parquet")
    sentences.to_parquet(run / "tables" / "sentences.parquet")
    tables.topic_frames.to_parquet(run / "tables" / "topic_frames.parquet")
    text = suggest_from_run(run)
    cat = parse_catalog(yaml.safe_load(text))
    assert cat.ids == ["candidate-2-football-match-voetbal"]
    frame = cat.frames[0]
    assert "The football match ended in a draw." in frame.examples["en"]
    assert "De voetbal wedstrijd eindigde gelijk." in frame.examples["nl"]
    out = tmp_path / "stub.yaml"
    result = CliRunner().invoke(frames_app, ["suggest", str(run), "--out", str(out)])
    assert result.exit_code == 0 and "Wrote 1 candidate frames" in result.output
    assert load_catalog(out).ids == cat.ids


def test_suggest_missing_tables(tmp_path):
    with pytest.raises(RunStoreError, match="topics.parquet"):
        suggest_from_run(tmp_path)

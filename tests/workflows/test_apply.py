"""framing apply: the saved topic model (safetensors) assigns new documents without refitting."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import framing
from framing.jobs.apply import apply_run
from framing.cli import app
from framing.errors import EmbeddingError, RunStoreError

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"
runner = CliRunner()


@pytest.fixture(scope="module")
def new_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new") / "week-2"
    folder.mkdir()
    shutil.copy(TINY / "beta.txt", folder / "beta.txt")
    return folder


def test_run_keeps_its_topic_model_as_safetensors(tiny_run):
    folder = tiny_run.run_dir / "topic_model"
    names = {p.name for p in folder.iterdir()}
    assert {"topic_embeddings.safetensors", "config.json", "topics.json", "framing.json"} <= names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".bin"))]
    info = json.loads((folder / "framing.json").read_text())
    assert info["embedder"]["name"] == tiny_run.meta["embedding"]["name"]
    assert info["topics"] == sorted(t for t in tiny_run.topics.topic if t >= 0)


def test_apply_assigns_known_sentences_to_their_topics(tiny_run, new_corpus, tmp_path):
    out = tmp_path / "applied"
    result = runner.invoke(app, ["apply", str(tiny_run.run_dir), str(new_corpus), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    child = framing.load_run(out)
    assert child.meta["parent"]["run"] == str(tiny_run.run_dir.resolve())
    assert (out / "topic_model" / "framing.json").is_file()  # the next batch can be applied to this run
    both = child.sentences.merge(tiny_run.sentences[["text", "topic"]], on="text", suffixes=("", "_parent"))
    fitted = both[both.topic_parent >= 0]
    # The nearest topic embedding is not HDBSCAN's density-based assignment: most, not all, sentences agree.
    assert len(fitted) >= 5 and (fitted.topic == fitted.topic_parent).mean() >= 0.75
    assert child.meta["frames"]["thresholds"] == tiny_run.meta["frames"]["thresholds"]
    assert set(child.topics.topic) == set(tiny_run.topics.topic) and "parent_size" in child.topics


def test_apply_refuses_another_embedder(tiny_run, new_corpus, tmp_path):
    parent = tmp_path / "parent"
    shutil.copytree(tiny_run.run_dir, parent)
    info_path = parent / "topic_model" / "framing.json"
    info = json.loads(info_path.read_text())
    info["embedder"]["name"] = "all-MiniLM-L6-v2@0123456789abcdef"
    info_path.write_text(json.dumps(info))
    with pytest.raises(EmbeddingError, match="fitted on embeddings of all-MiniLM-L6-v2@0123456789abcdef, but "
                                             "hashing-256-v1 was asked for"):
        apply_run(parent, [new_corpus], tmp_path / "child")
    assert not (tmp_path / "child").exists()


def test_apply_needs_a_saved_model(tiny_run, new_corpus, tmp_path):
    parent = tmp_path / "parent"
    shutil.copytree(tiny_run.run_dir, parent)
    shutil.rmtree(parent / "topic_model")
    with pytest.raises(RunStoreError, match="holds no saved topic model"):
        apply_run(parent, [new_corpus], tmp_path / "child")


def test_topics_renumbered_after_fitting_are_applied_by_their_own_ids(tmp_path):
    import numpy as np

    from framing.config import TopicsConfig
    from framing.topic_model import assign_topics, read_topic_model_info, save_run_topic_model
    from framing.topics import TopicModeler

    rng = np.random.default_rng(0)
    emb = np.vstack([c + rng.normal(size=(12, 8)) for c in np.eye(3, 8) * 10])
    words = ["rocket attack base", "vaccine dose trial", "election vote ballot"]
    texts = [f"the {words[i // 12]} news {i}" for i in range(36)]
    tm = TopicModeler(TopicsConfig(reducer="pca", min_cluster_size=5)).fit(texts, emb, ["en"] * 36,
                                                                            [f"s{i}" for i in range(36)])
    tm.labels_ = np.where(tm.labels_ == 2, 7, tm.labels_)  # as if a topic were renumbered after fitting
    info = {"model": "hashing", "name": "hashing-256-v1", "dim": 8}
    assert save_run_topic_model(tmp_path, tm, emb, info)["topics"] == sorted(set(tm.labels_.tolist()) - {-1})
    saved = read_topic_model_info(tmp_path)
    topics, sims = assign_topics(tmp_path, texts, emb, saved)
    assert (topics == tm.labels_).mean() >= 0.9 and 7 in set(topics.tolist())


def test_apply_keeps_new_filler_unclustered_like_analyze(tiny_run, tmp_path):
    parent = tmp_path / "parent"
    shutil.copytree(tiny_run.run_dir, parent)
    info_path = parent / "topic_model" / "framing.json"
    info = json.loads(info_path.read_text())
    info["min_similarity"] = -1.0  # every sentence the model sees gets a topic: only the filler rule keeps one out
    info_path.write_text(json.dumps(info))
    folder = tmp_path / "week-3"
    folder.mkdir()
    text = (TINY / "beta.txt").read_text(encoding="utf-8")
    filler = ["Read more: the full story of the week in pictures and words.", "It's a start, they say."]
    (folder / "beta.txt").write_text(" ".join(filler) + "\n\n" + text, encoding="utf-8")
    apply_run(parent, [folder], out=tmp_path / "applied")
    s = framing.load_run(tmp_path / "applied").sentences
    rows = s[s.text.isin(filler)]
    assert len(rows) == 2 and (rows.topic == -1).all()  # the filler rule of analyze: never clustered
    assert (s[~s.text.isin(filler) & (s.n_words >= 5)].topic >= 0).all()  # the others all got a topic
    meta = json.loads((tmp_path / "applied" / "run.json").read_text())
    assert meta["topics"]["filler"] >= 2
    assert (tmp_path / "applied" / "tables" / "document_topics.parquet").is_file()


BOILERPLATE = "Support our independent reporting and subscribe to the weekly newsletter today."


def _paragraphs():
    return [p.replace("\n", " ") for name in ("alpha.txt", "beta.txt", "gamma.txt")
            for p in (TINY / name).read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 12]


def test_apply_drops_the_parent_runs_boilerplate_lines(tmp_path):
    from framing.config import load_config
    from framing.jobs.analyze import analyze

    from .conftest import FAST

    paras = _paragraphs()
    parent_records = [{"id": f"p{i}", "source": "alpha-news", "text": f"{p}\n\n{BOILERPLATE}"}
                      for i, p in enumerate(paras[:-1])]
    assert len(parent_records) >= 3  # the rule's minimum: printed beside own text in 3 documents of the source
    corpus = tmp_path / "parent.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in parent_records), encoding="utf-8")
    overrides = [f"{k.replace('__', '.')}={v}" for k, v in FAST.items()]
    parent = analyze([corpus], load_config(overrides=overrides), tmp_path / "parent").run_dir
    info_path = parent / "topic_model" / "framing.json"
    info = json.loads(info_path.read_text())
    line = "support our independent reporting and subscribe to the weekly newsletter today"
    assert info["boilerplate"]["lines"] == {"alpha-news": [line]} and info["boilerplate"]["min_documents"] == 3
    info["min_similarity"] = -1.0  # every sentence the model sees gets a topic: only the rules keep one out
    info_path.write_text(json.dumps(info))
    # The new batch prints the line once: the batch alone cannot learn it is boilerplate.
    new = tmp_path / "week.jsonl"
    new.write_text(json.dumps({"id": "n1", "source": "alpha-news", "text": f"{paras[-1]}\n\n{BOILERPLATE}"}),
                   encoding="utf-8")
    apply_run(parent, [new], out=tmp_path / "applied")
    s = framing.load_run(tmp_path / "applied").sentences
    assert (s[s.text == BOILERPLATE].topic == -1).all() and (s.text == BOILERPLATE).sum() == 1
    assert (s[(s.text != BOILERPLATE) & (s.n_words >= 5)].topic >= 0).any()
    meta = json.loads((tmp_path / "applied" / "run.json").read_text())
    assert meta["topics"]["parent_boilerplate"] == 1
    kept = json.loads((tmp_path / "applied" / "topic_model" / "framing.json").read_text())
    assert kept["boilerplate"]["lines"] == {"alpha-news": [line]}  # kept for the next batch
    # Without the saved lines (a model saved by an older framing) the line is an ordinary sentence again.
    del info["boilerplate"]
    info_path.write_text(json.dumps(info))
    apply_run(parent, [new], out=tmp_path / "applied-without")
    without = json.loads((tmp_path / "applied-without" / "run.json").read_text())["topics"]
    assert without["parent_boilerplate"] == 0 and without["filler"] == meta["topics"]["filler"] - 1
    assert without["clustered"] == meta["topics"]["clustered"] + 1

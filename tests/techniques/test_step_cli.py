"""`framing techniques train|evaluate|list` as a user runs them, and the techniques step that analyze calls."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.config import load_config
from framing.embed import embed_texts, get_embedder
from framing.errors import CatalogError, FrameWarning
from framing.segment import build_sentences
from framing.techniques.catalog import TECHNIQUE_CATALOG_DIR
from framing.techniques.step import technique_step
from framing.techniques.tables import (DOCUMENT_TECHNIQUE_COLUMNS, SENTENCE_TECHNIQUE_COLUMNS, TECHNIQUE_COLUMNS,
                                       TECHNIQUE_SPAN_COLUMNS)

from .synthetic import coded_corpus, write_coded

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The bundled catalog trained from a working folder (it is copied there, the model saved beside the copy)."""
    work = tmp_path_factory.mktemp("work")
    coded = write_coded(work / "coded", 18)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        result = runner.invoke(app, ["techniques", "train", "propaganda", "--spans", str(coded), "--model", "hashing",
                                     "--set", "embedding.cache=false"])
    return work, coded, result


def test_train_copies_the_bundled_catalog_and_saves_the_model_beside_the_copy(trained):
    work, _, result = trained
    assert result.exit_code == 0, result.output
    assert (work / "propaganda.yaml").is_file() and (work / "propaganda.techniques.npz").is_file()
    assert not (TECHNIQUE_CATALOG_DIR / "propaganda.techniques.npz").exists()
    assert "Trained 3 techniques" in result.output and "bundled catalog" in result.output
    listed = runner.invoke(app, ["techniques", "list", str(work / "propaganda.yaml")])
    assert "trained model" in listed.output and "loaded-language  [word]" in listed.output


def test_evaluate_prints_every_level_for_the_model_and_the_catalog(trained):
    work, coded, _ = trained
    result = runner.invoke(app, ["techniques", "evaluate", str(work / "propaganda.yaml"), "--spans", str(coded),
                                 "--model", "hashing", "--set", "embedding.cache=false"])
    assert result.exit_code == 0, result.output
    for needle in ("== trained", "== catalog zero-shot", "Span identification", "Technique classification of gold",
                   "propaganda or not", "Document level"):
        assert needle in result.output
    bad = runner.invoke(app, ["techniques", "evaluate", "propaganda", "--spans", str(coded), "--score", "trained",
                              "--model", "hashing"])
    assert bad.exit_code == 2 and "needs a model trained" in bad.output


def _run_inputs(n=6):
    docs, _ = coded_corpus(n)
    cfg = load_config(overrides=["embedding.cache=false"])
    sentences, _, _ = build_sentences(docs, cfg)
    rows = np.flatnonzero(~sentences.is_fragment.to_numpy())
    emb = get_embedder("hashing")
    return docs, sentences, rows, emb, embed_texts(sentences.text.iloc[rows].tolist(), emb)[0]


def test_step_uses_the_model_beside_the_catalog_and_writes_the_four_tables(trained):
    work, _, _ = trained
    docs, sentences, rows, emb, vectors = _run_inputs()
    tables, info = technique_step(sentences, vectors, rows, emb, [str(work / "propaganda.yaml")], documents=docs)
    assert info["scorer"] == "trained" and info["spans"] > 0
    for name, cols in (("sentence_techniques", SENTENCE_TECHNIQUE_COLUMNS), ("technique_spans", TECHNIQUE_SPAN_COLUMNS),
                       ("document_techniques", DOCUMENT_TECHNIQUE_COLUMNS), ("techniques", TECHNIQUE_COLUMNS)):
        assert list(tables[name].columns) == cols
    spans = tables["technique_spans"]
    text = docs.set_index("doc_id").text
    assert all(text[d][a:b] == t for d, a, b, t in zip(spans.doc_id, spans.start, spans.end, spans.text))
    assert set(tables["sentence_techniques"].sentence_id) == set(sentences.sentence_id.iloc[rows])


def test_step_scores_the_catalog_zero_shot_without_a_model_and_refuses_trained():
    docs, sentences, rows, emb, vectors = _run_inputs(2)
    tables, info = technique_step(sentences, vectors, rows, emb, ["propaganda"], scorer="auto")
    assert info["scorer"] == "catalog" and info["model"] is None
    assert set(tables["technique_spans"].method) <= {"keyword", "sentence"}
    assert "vicious" in set(tables["technique_spans"].text.str.lower())  # a cue word of loaded language
    with pytest.raises(CatalogError, match="has no model trained with hashing.*framing techniques train"):
        technique_step(sentences, vectors, rows, emb, ["propaganda"], scorer="trained")
    with pytest.raises(CatalogError, match="'techniques.scorer' setting must be one of auto, trained, catalog"):
        technique_step(sentences, vectors, rows, emb, ["propaganda"], scorer="best")


def test_a_model_fitted_in_another_space_is_not_used(trained, tmp_path):
    work, _, _ = trained
    shutil.copy(work / "propaganda.yaml", tmp_path / "p.yaml")
    shutil.copy(work / "propaganda.techniques.npz", tmp_path / "p.techniques.npz")
    docs, sentences, rows, _, _ = _run_inputs(2)

    class Other:
        name, dim = "other-model", 256

        def encode(self, texts):
            return get_embedder("hashing").encode(texts)

    other = Other()
    vectors = other.encode(sentences.text.iloc[rows].tolist())
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        _, info = technique_step(sentences, vectors, rows, other, [str(tmp_path / "p.yaml")])
    assert info["scorer"] == "catalog"
    assert any(issubclass(w.category, FrameWarning) and "other-model" in str(w.message) for w in seen)


def test_framing_evaluate_covers_techniques_and_refuses_a_mix(trained):
    work, coded, _ = trained
    result = runner.invoke(app, ["evaluate", "--techniques", str(work / "propaganda.yaml"), "--spans", str(coded),
                                 "--model", "hashing", "--score", "anchors", "--set", "embedding.cache=false"])
    assert result.exit_code == 0, result.output
    assert "== catalog zero-shot" in result.output and "== trained" not in result.output
    assert "Span identification (SemEval-2020 SI, best 0.52)" in result.output
    mixed = runner.invoke(app, ["evaluate", "--techniques", "propaganda", "--labels", "x.csv"])
    assert mixed.exit_code == 2 and "one of the two" in mixed.output
    neither = runner.invoke(app, ["evaluate"])
    assert neither.exit_code == 2 and "--frames CATALOG and --labels FILE" in neither.output

"""Issue 19, case 6 and the corpus-config part of case 1: what a corpus hands over is not trusted.

A corpus's own ``framing.yaml`` may set reading and analysis options, never
where a run writes (``output.*``) or which cache it trusts
(``embedding.cache_dir``); passing the same file with ``--config`` trusts it.
And a cache is not trusted across users: every entry is signed with the
user's own key, so entries another "user" wrote -- with checksums that are
right, since anyone can recompute them -- are never used.

Two users are two cache keys (``$FRAMING_CACHE_KEY_FILE``). Today's code
(before this change) gives 100% hits on the forged cache and the forged
topics and sources: ``test_corpus_cannot_pick_the_cache_*`` fail there.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app

TINY = Path(__file__).parent / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]

runner = CliRunner()


@pytest.fixture(autouse=True)
def own_user(tmp_path, monkeypatch):
    """The victim: a cache key and a default cache folder of their own, under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "victim-home" / "cache"))
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(tmp_path / "victim-home" / "cache.key"))
    monkeypatch.chdir(tmp_path)


def _invoke(args: list[str]):
    """Run the CLI; the result and every warning raised, by category name (works on code without the new classes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def _tables(run: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    read = lambda name: pd.read_parquet(run / "tables" / f"{name}.parquet")  # noqa: E731
    return meta, read("documents"), read("sentences"), read("topics")


# -- a cache forged by another user, shipped inside the corpus --------------------------------


def _forge(corpus: Path, cache: Path, attacker_key: Path, monkeypatch) -> None:
    """As another user (another key), fill ``cache`` with valid-looking entries that lie.

    The split corpus names every source "forged-source", every vector is the
    vector of another sentence, and the topics put every sentence in topic 0
    named FORGED. All entries are written by framing's own writers, so their
    checksums are right (and, with signing, signed with the attacker's key).
    """
    from framing.corpus import ingest_cache
    from framing.embed import EmbeddingCache, HashingEmbedder, text_key
    from framing.topics import step_cache

    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(attacker_key))
    attack = [*FAST, "--set", f"embedding.cache_dir={cache}", "-q"]
    _invoke(["analyze", str(corpus), "--out", str(corpus.parent / "attacker-1"), *attack])
    (entry,) = [p for p in (cache / "ingest").iterdir() if not p.name.startswith(".")]
    documents, sentences, skipped, kept = ingest_cache.read_entry(entry)
    documents["source"] = "forged-source"
    sentences["source"] = "forged-source"
    ingest_cache.write_entry(entry, documents, sentences, skipped, kept)

    meta, _, real, _ = _tables(corpus.parent / "attacker-1")
    texts = real.text[~real.is_fragment.astype(bool)].tolist()
    vectors = HashingEmbedder().encode(texts[1:] + texts[:1])  # each sentence gets its neighbour's vector
    EmbeddingCache(cache).put(meta["embedding"]["name"], zip([text_key(t) for t in texts], vectors))

    shutil.rmtree(cache / "topics")
    shutil.rmtree(cache / "reductions", ignore_errors=True)
    _invoke(["analyze", str(corpus), "--out", str(corpus.parent / "attacker-2"), *attack])
    (entry,) = [p for p in (cache / "topics").iterdir() if not p.name.startswith(".")]
    found = step_cache.read_entry(entry)
    assign, topics = found["assign"], found["topics"]
    assign["topic"] = 0
    topics["name"] = "FORGED"
    step_cache.write_entry(entry, assign, topics, found["hierarchy"], found["info"], found["model_dir"])


@pytest.fixture
def poisoned(tmp_path, monkeypatch):
    """A corpus whose framing.yaml points embedding.cache_dir at a forged cache shipped inside it."""
    corpus = tmp_path / "received" / "corpus"
    shutil.copytree(TINY, corpus)
    cache = corpus / "cache"
    victim_key = os.environ["FRAMING_CACHE_KEY_FILE"]
    _forge(corpus, cache, tmp_path / "attacker-home" / "cache.key", monkeypatch)
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", victim_key)
    (corpus / "framing.yaml").write_text(f"embedding:\n  cache_dir: {cache}\n", encoding="utf-8")
    return corpus, cache


@pytest.fixture
def reference(tmp_path):
    """The real results: the same corpus, no cache at all."""
    out = tmp_path / "reference"
    _invoke(["analyze", str(TINY), "--out", str(out), *FAST, "--set", "embedding.cache=false", "-q"])
    return _tables(out)


def _assert_real(run: Path, reference) -> dict:
    meta, documents, sentences, topics = _tables(run)
    _, ref_documents, ref_sentences, ref_topics = reference
    assert "forged-source" not in set(documents.source)
    assert documents.source.tolist() == ref_documents.source.tolist()
    assert sentences.topic.tolist() == ref_sentences.topic.tolist()
    assert "FORGED" not in set(topics.get("name", pd.Series(dtype=str)))
    return meta


def test_corpus_cannot_pick_the_cache_its_config_names(poisoned, reference, tmp_path):
    corpus, cache = poisoned
    out = tmp_path / "victim-run"
    result, raised = _invoke(["analyze", str(corpus), "--out", str(out), *FAST])
    meta = _tables(out)[0]
    stats = meta["embedding"]["cache"]
    # Before: the corpus chose the cache, and every embedding was a "hit" (hit_share 1.0), every topic forged.
    assert stats["hits"] == 0 and stats["misses"] == stats["unique"] > 0, stats
    assert stats["dir"] is not None and not Path(stats["dir"]).resolve().is_relative_to(corpus.resolve())
    _assert_real(out, reference)
    ignored = [m for c, m in raised if c == "UntrustedConfigWarning"]
    assert len(ignored) == 1, raised
    assert str(corpus / "framing.yaml") in ignored[0] and "'embedding.cache_dir' is ignored" in ignored[0]
    assert f"--config {corpus / 'framing.yaml'}" in ignored[0]


def test_corpus_cannot_pick_the_cache_even_when_trusted_forged_entries_are_refused(poisoned, reference, tmp_path):
    # The user trusts the corpus's file with --config: the cache folder applies, its entries still do not.
    corpus, cache = poisoned
    out = tmp_path / "victim-run"
    args = ["analyze", str(corpus), "--out", str(out), "--config", str(corpus / "framing.yaml"), *FAST]
    result, raised = _invoke(args)
    meta = _assert_real(out, reference)
    stats = meta["embedding"]["cache"]
    assert Path(stats["dir"]) == cache
    assert stats["hits"] == 0 and stats["misses"] == stats["unique"] > 0, stats
    assert not [m for c, m in raised if c == "UntrustedConfigWarning"]
    refused = " ".join(w["message"] for w in meta["warnings"] if w["category"] == "CacheWarning")
    assert "Warning (CacheWarning" in result.output  # the user sees them too
    assert "embedding(s)" in refused and "not yours" in refused  # the vectors
    assert "cached split of the corpus" in refused and "signature does not verify" in refused  # the split corpus
    # The forged entries were overwritten with the user's own: the next run reads them, silently.
    again = tmp_path / "victim-again"
    _, raised = _invoke(["analyze", str(corpus), "--out", str(again), "--config", str(corpus / "framing.yaml"), *FAST])
    meta = _assert_real(again, reference)
    assert meta["embedding"]["cache"]["hits"] == meta["embedding"]["cache"]["unique"] > 0
    assert not [w for w in meta["warnings"] if w["category"] == "CacheWarning"]


# -- where a run is written ---------------------------------------------------------------------


def test_corpus_config_cannot_choose_the_output_folder(tmp_path):
    victim = tmp_path / "thesis"
    (victim / "tables").mkdir(parents=True)
    (victim / "tables" / "thesis.csv").write_text("data\n", encoding="utf-8")
    corpus = tmp_path / "received" / "corpus"
    shutil.copytree(TINY, corpus)
    (corpus / "framing.yaml").write_text(f"seed: 7\noutput:\n  dir: {victim}\n", encoding="utf-8")

    result, raised = _invoke(["ingest", str(corpus)])
    assert (victim / "tables" / "thesis.csv").read_text(encoding="utf-8") == "data\n"
    assert sorted(p.name for p in victim.rglob("*")) == ["tables", "thesis.csv"]
    written = tmp_path / "reports" / "corpus"
    meta = json.loads((written / "run.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 7  # the rest of the corpus's file still applies
    assert meta["config"]["output"]["dir"] is None
    (ignored,) = [m for c, m in raised if c == "UntrustedConfigWarning"]
    assert str(corpus / "framing.yaml") in ignored and "'output' is ignored" in ignored

    # Passed with --config, the same file is the user's word: its output.dir applies.
    trusted = tmp_path / "chosen"
    (corpus / "framing.yaml").write_text(f"output:\n  dir: {trusted}\n", encoding="utf-8")
    result, raised = _invoke(["ingest", str(corpus), "--config", str(corpus / "framing.yaml")])
    assert (trusted / "run.json").is_file()
    assert not [m for c, m in raised if c == "UntrustedConfigWarning"]


def test_corpus_config_keeps_its_files_inside_the_corpus(tmp_path):
    from framing.errors import UntrustedConfigWarning
    from framing.jobs.common import load_run_config

    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    (corpus / "frames.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("file,source\n", encoding="utf-8")
    (corpus / "model").mkdir()
    (corpus / "framing.yaml").write_text(
        "corpus: {manifest: ../secret.csv}\n"
        "frames: {catalogs: [policy-frames, frames.yaml, ../secret.csv], default_catalog: /etc/passwd}\n"
        "embedding: {model: ./model}\ntopics: {min_cluster_size: 4}\n", encoding="utf-8")
    with pytest.warns(UntrustedConfigWarning) as record:
        cfg = load_run_config([corpus])
    keys = sorted(str(w.message).split("'")[1] for w in record)
    assert keys == ["corpus.manifest", "embedding.model", "frames.catalogs: ../secret.csv", "frames.default_catalog"]
    assert cfg.frames.catalogs == ["policy-frames", str((corpus / "frames.yaml").resolve())]
    assert cfg.corpus.manifest is None and cfg.frames.default_catalog is None
    assert cfg.embedding.model == "auto" and cfg.topics.min_cluster_size == 4
    # A symlink inside the corpus that points out of it is outside too.
    (corpus / "inside.csv").symlink_to(tmp_path / "secret.csv")
    (corpus / "framing.yaml").write_text("corpus: {manifest: inside.csv}\n", encoding="utf-8")
    with pytest.warns(UntrustedConfigWarning, match="corpus.manifest"):
        assert load_run_config([corpus]).corpus.manifest is None
    # A manifest inside the corpus is named relative to the corpus's own file.
    (corpus / "framing.yaml").write_text("corpus: {manifest: manifest.csv}\n", encoding="utf-8")
    assert load_run_config([corpus]).corpus.manifest == str((corpus / "manifest.csv").resolve())


def test_seeds_config_still_applies_without_a_warning():
    from framing.jobs.common import load_run_config

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_run_config([seeds]).frames.catalogs == ["us-middle-east"]


# -- cache folders and keys ---------------------------------------------------------------------


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    from framing.embed import EmbeddingCache, HashingEmbedder, embed_texts
    from framing.errors import CacheWarning

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.warns(CacheWarning, match=r"shared is not trusted .*lets other users write"):
        _, stats = embed_texts(["a b", "c d"], HashingEmbedder(), EmbeddingCache(shared))
    assert stats.misses == 2 and list(shared.iterdir()) == []  # nothing written there


def test_a_cache_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    import framing.diskcache as diskcache
    from framing.config import EmbeddingConfig
    from framing.errors import CacheWarning
    from framing.topics.reduction_cache import reduction_cache_from_config

    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    monkeypatch.setattr(diskcache, "_current_uid", lambda: os.stat(theirs).st_uid + 1)
    with pytest.warns(CacheWarning, match="belongs to user id"):
        assert diskcache.cache_subdir(EmbeddingConfig(cache_dir=str(theirs)), "topics") is None
    with pytest.warns(CacheWarning, match="belongs to user id"):
        assert reduction_cache_from_config(EmbeddingConfig(cache_dir=str(theirs))) is None
    assert list(theirs.iterdir()) == []


def test_the_key_is_made_once_private_and_refused_when_others_can_read_it(tmp_path, monkeypatch):
    import framing.diskcache as diskcache
    from framing.errors import CacheWarning

    key = tmp_path / "home" / "framing" / "cache.key"
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(key))
    first = diskcache.cache_key()
    assert first is not None and len(first) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert diskcache.cache_key() == first
    leaked = tmp_path / "leaked.key"
    leaked.write_text(key.read_text())
    leaked.chmod(0o644)
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(leaked))
    with pytest.warns(CacheWarning, match="leaked.key cannot be used .*other users read"):
        assert diskcache.cache_key() is None


def test_a_reduction_signed_by_another_key_is_recomputed(tmp_path, monkeypatch):
    from sklearn.decomposition import PCA

    from framing.errors import CacheWarning
    from framing.topics.reduction_cache import CachedReducer, ReductionCache

    x = np.random.default_rng(0).normal(size=(30, 6)).astype(np.float32)
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(tmp_path / "attacker.key"))
    key = CachedReducer(PCA(2, random_state=0), ReductionCache(tmp_path / "r")).fit(x).key_
    ReductionCache(tmp_path / "r").put(key, np.zeros((30, 2), np.float32))  # forged coordinates
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(tmp_path / "victim.key"))
    again = CachedReducer(PCA(2, random_state=0), ReductionCache(tmp_path / "r"))
    with pytest.warns(CacheWarning, match="damaged or not yours"):
        out = again.fit_transform(x)
    assert not again.from_cache_ and np.abs(out).sum() > 0
    assert CachedReducer(PCA(2, random_state=0), ReductionCache(tmp_path / "r")).fit(x).from_cache_


def test_a_symlink_in_a_cache_entry_makes_it_damaged(tmp_path):
    from framing.corpus import ingest_cache
    from framing.errors import CacheWarning

    entry = tmp_path / "ingest" / ("0" * 64)
    docs = pd.DataFrame({"doc_id": ["a"]})
    ingest_cache.write_entry(entry, docs, docs, [])
    assert ingest_cache.read_entry(entry) is not None
    (tmp_path / "secret").write_text("secret")
    (entry / "documents.parquet").unlink()
    (entry / "documents.parquet").symlink_to(tmp_path / "secret")
    with pytest.warns(CacheWarning, match="is damaged .*not a regular file"):
        assert ingest_cache.read_entry(entry) is None


def test_no_cache_unpickles():
    root = Path(__file__).resolve().parent.parent / "framing"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "allow_pickle=True" not in text, path
        assert "import pickle" not in text and "pickle.load" not in text, path
        for line in text.splitlines():
            if "np.load(" in line:
                assert "allow_pickle=False" in line, f"{path}: {line.strip()}"


def test_a_received_runs_config_cannot_choose_output_or_cache():
    # For apply / rerun (framing/jobs/apply.py, framing/jobs/rerun.py): run.json's config is received data too.
    from framing.config import config_to_dict, load_config, received_config
    from framing.errors import UntrustedConfigWarning

    recorded = config_to_dict(load_config(overrides=["seed=5"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert received_config(recorded, "run.json").seed == 5  # nothing set: nothing to say
    recorded["output"]["dir"] = "/home/someone/thesis"
    recorded["embedding"]["cache_dir"] = "/tmp/their-cache"
    with pytest.warns(UntrustedConfigWarning) as record:
        cfg = received_config(recorded, "RUN/run.json")
    assert cfg.output.dir is None and cfg.embedding.cache_dir is None and cfg.seed == 5
    assert [str(w.message).split("'")[1] for w in record] == ["output", "embedding.cache_dir"]

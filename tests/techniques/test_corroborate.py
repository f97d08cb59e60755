"""``techniques.corroborate``: the zero-shot cue-word rule is a config key that reaches the step and run.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.config import load_config
from framing.embed import embed_texts, get_embedder
from framing.errors import ConfigError
from framing.jobs.analyze import _technique_tables

# two of the catalog's own doubt examples: the first holds no doubt cue word, the second holds "so-called"
NO_CUE = "Is it not strange that the evidence surfaced only days before the vote?"
CUE = "The so-called investigation raises more questions than it answers."
TINY = Path(__file__).parents[1] / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]


def _sentences():
    texts = [NO_CUE, CUE, "The council met on Tuesday at noon."]
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    return pd.DataFrame({"sentence_id": ["a", "b", "c"], "doc_id": "d", "start": starts,
                         "end": [a + len(t) for a, t in zip(starts, texts)], "text": texts, "lang": "en",
                         "source": "s"})


def test_the_key_defaults_to_the_rule_and_is_checked():
    assert load_config().techniques.corroborate is True
    assert load_config(overrides=["techniques.corroborate=false"]).techniques.corroborate is False
    with pytest.raises(ConfigError, match="techniques.corroborate"):
        load_config(overrides=["techniques.corroborate=maybe"])


@pytest.mark.parametrize("flag", [True, False])
def test_the_config_reaches_the_zero_shot_decisions(flag):
    cfg = load_config(overrides=["embedding.cache=false", "techniques.catalogs=[propaganda]",
                                 f"techniques.corroborate={str(flag).lower()}"])
    sentences = _sentences()
    emb = get_embedder("hashing", cfg.embedding)
    vectors = embed_texts(sentences.text.tolist(), emb)[0]
    meta: dict = {}
    docs = pd.DataFrame({"doc_id": ["d"], "text": [" ".join(sentences.text)]})
    tables = _technique_tables(sentences, vectors, np.arange(3), emb, cfg, lambda _m: None, docs, meta)
    st = tables["sentence_techniques"]
    doubt = set(st[(st.technique_id == "doubt") & st.matched.astype(bool)].sentence_id)
    # the meaning alone matches both doubt examples; the rule keeps only the one holding a cue word
    assert doubt == ({"b"} if flag else {"a", "b"})
    assert meta["techniques"]["scorer"] == "catalog" and meta["techniques"]["corroborate"] is flag


def test_analyze_records_the_setting_in_run_json(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["analyze", str(corpus), "--out", str(out), "--techniques", "propaganda",
                                      "--set", "techniques.corroborate=false", *FAST])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "run.json").read_text())
    assert meta["config"]["techniques"]["corroborate"] is False
    assert meta["techniques"]["corroborate"] is False

"""The zero-shot catalog scorer: a clause technique needs its examples' meaning and one of its cue words."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.config import load_config
from framing.embed import embed_texts, get_embedder
from framing.techniques.catalog import load_technique_catalog
from framing.techniques.scorers import _cue_present, score_catalog

# two of the catalog's own doubt examples: the first holds no doubt cue word, the second holds "so-called"
NO_CUE = "Is it not strange that the evidence surfaced only days before the vote?"
CUE = "The so-called investigation raises more questions than it answers."


@pytest.fixture(scope="module")
def scored():
    cat = load_technique_catalog("propaganda")
    cfg = load_config(overrides=["embedding.cache=false"])
    emb = get_embedder("hashing", cfg.embedding)
    texts = [NO_CUE, CUE, "The council met on Tuesday at noon."]
    starts = [0, len(NO_CUE) + 1, len(NO_CUE) + len(CUE) + 2]
    s = pd.DataFrame({"sentence_id": ["a", "b", "c"], "doc_id": ["d", "d", "d"], "start": starts,
                      "end": [a + len(t) for a, t in zip(starts, texts)], "text": texts, "lang": "en"})
    vectors = embed_texts(texts, emb)[0]
    j = cat.ids.index("doubt")
    return {flag: score_catalog(cat, s, vectors, embedder=emb, corroborate=flag) for flag in (True, False)}, j


def test_without_a_cue_word_a_clause_technique_is_not_decided(scored):
    dec, j = scored
    assert dec[False].matched[0, j] and dec[False].matched[1, j]  # the meaning alone matches both examples
    assert not dec[True].matched[0, j] and dec[True].matched[1, j]
    assert not dec[True].matched[2].any()
    whole = dec[True].spans[(dec[True].spans.technique_id == "doubt") & (dec[True].spans.method == "sentence")]
    assert whole["row"].tolist() == [1]


def test_cue_words_gate_clause_techniques_only():
    cat = load_technique_catalog("propaganda")
    present = _cue_present(cat, cat.ids, ["Those thugs are SO-CALLED experts.", "We will win."])
    kinds = [cat.span_of(t) for t in cat.ids]
    # word and document techniques are not gated by a cue
    assert all(present[:, j].all() for j, k in enumerate(kinds) if k != "clause")
    assert present[0, cat.ids.index("doubt")] and present[0, cat.ids.index("appeal-to-authority")]
    assert not present[1, cat.ids.index("doubt")]
    assert not present[:, cat.ids.index("slogans")].any()  # no cue words: never decided zero-shot

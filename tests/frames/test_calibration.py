"""Label-free calibration on the corpus, specificity, and the embedding cache for anchors and clause windows."""

import numpy as np
import pandas as pd
import pytest

from framing.embed import EmbeddingCache
from framing.frames import FrameMatcher

from .fake import FakeEmbedder, nested_catalog


def _corpus(n_background=30):
    texts = ["It will rain tomorrow.", "The football match ended in a draw.", "Het gaat morgen regenen."]
    rows = [texts[i % 3] for i in range(n_background)]
    rows += ["The Americans only want the oil and gas.", "De media verspreiden propaganda en leugens.",
             "The US oil media withdrawal lies defeat propaganda retreat."]  # near every frame at once
    return pd.DataFrame({"sentence_id": [f"s{i}" for i in range(len(rows))], "text": rows,
                         "is_fragment": False})


def test_corpus_calibration_places_frames_between_corpus_and_anchors(tiny_catalog, embedder):
    sents = _corpus()
    vecs = embedder.encode(sents["text"].tolist())
    m = FrameMatcher(tiny_catalog, embedder, clauses=False).fit(sents, vecs)
    cal = m.calibration_.set_index("frame_id")
    assert (cal["source"] == "corpus").all()
    # halfway between the corpus median and the anchors' level, i.e. strength 0.5
    np.testing.assert_allclose(cal["threshold"], (cal["background"] + cal["anchor_level"]) / 2)
    np.testing.assert_allclose(m.strength_thresholds_, 0.5)
    sf = m.transform(sents, vecs)
    typical = sf[sf.sentence_id == "s0"]
    assert typical["strength"].abs().max() < 0.05  # the corpus's typical sentence sits at 0
    hits = set(map(tuple, sf.loc[sf.matched, ["sentence_id", "frame_id"]].to_numpy()))
    assert ("s30", "us-there-for-oil") in hits and ("s31", "media-lies") in hits


def test_without_a_corpus_the_anchor_thresholds_apply(tiny_catalog, embedder):
    m = FrameMatcher(tiny_catalog, embedder).fit()
    assert (m.calibration_["source"] == "calibrated").all()
    anchors = FrameMatcher(tiny_catalog, embedder, calibration="anchors").fit(_corpus(), np.zeros((33, 17)))
    assert (anchors.calibration_["source"] == "calibrated").all()


def test_specificity_discourages_a_sentence_near_every_frame(tiny_catalog, embedder):
    sents = _corpus()
    vecs = embedder.encode(sents["text"].tolist())
    plain = FrameMatcher(tiny_catalog, embedder, clauses=False, specificity=0.0).fit(sents, vecs).transform(sents, vecs)
    strict = FrameMatcher(tiny_catalog, embedder, clauses=False, specificity=1.0).fit(sents, vecs).transform(sents, vecs)
    generic_plain = plain[plain.sentence_id == "s32"].set_index("frame_id")
    generic_strict = strict[strict.sentence_id == "s32"].set_index("frame_id")
    assert (generic_strict["strength"] < generic_plain["strength"]).all()
    assert generic_strict["matched"].sum() < generic_plain["matched"].sum()
    # a sentence mostly on one frame stays matched and loses less than the generic one
    one = (plain.sentence_id == "s30") & (plain.frame_id == "us-there-for-oil")
    assert strict.loc[one, "matched"].item()
    drop_one = plain.loc[one, "strength"].item() - strict.loc[one, "strength"].item()
    drop_generic = generic_plain.loc["us-there-for-oil", "strength"] - generic_strict.loc["us-there-for-oil", "strength"]
    assert drop_one < drop_generic


def test_anchors_and_clause_windows_go_through_the_cache(tmp_path, tiny_catalog):
    long = ("The Americans, who only want the oil and gas of the region, stay in Syria, "
            "whatever the media say, for many more years to come.")
    sents = pd.DataFrame({"sentence_id": ["a"], "text": [long], "is_fragment": [False]})
    first = FakeEmbedder()
    with EmbeddingCache(tmp_path) as cache:
        m = FrameMatcher(tiny_catalog, first, cache=cache).fit()
        m.transform(sents, first.encode([long]))
        calls = first.calls
        assert cache.count(first.name) > 14  # anchors, near misses and the clause windows are stored
    second = FakeEmbedder()
    with EmbeddingCache(tmp_path) as cache:
        m = FrameMatcher(tiny_catalog, second, cache=cache).fit()
        m.transform(sents, first.encode([long]))
    assert calls >= 2 and second.calls == 0


def test_unknown_calibration(tiny_catalog, embedder):
    from framing.errors import CatalogError

    with pytest.raises(CatalogError, match="'corpus' or 'anchors'"):
        FrameMatcher(tiny_catalog, embedder, calibration="labels").fit()


def test_exclusive_matches_a_sentence_to_its_strongest_frame_only(tiny_catalog, embedder):
    sents = _corpus()
    vecs = embedder.encode(sents["text"].tolist())
    plain = FrameMatcher(tiny_catalog, embedder, clauses=False).fit(sents, vecs).transform(sents, vecs)
    excl = FrameMatcher(tiny_catalog, embedder, clauses=False, exclusive=True).fit(sents, vecs).transform(sents, vecs)
    generic = plain[plain.sentence_id == "s32"]
    assert generic["matched"].sum() >= 2  # near every frame at once: several unrelated frames cross the threshold
    kept = excl[(excl.sentence_id == "s32") & excl.matched]
    assert kept["frame_id"].tolist() == [generic.loc[generic["strength"].idxmax(), "frame_id"]]
    # scores and strengths are unchanged; only the decisions are
    assert np.array_equal(plain["strength"].to_numpy(), excl["strength"].to_numpy())
    per_sentence = excl[excl.matched].groupby("sentence_id").size()
    assert (per_sentence == 1).all()  # the tiny catalog has no families: one frame per sentence


def test_exclusive_keeps_a_family_together(tmp_path, embedder, data_dir):
    from framing.frames import load_catalog

    path = nested_catalog(data_dir, tmp_path)
    sents = pd.DataFrame({"sentence_id": ["x"], "text": ["The Americans want the oil after their humiliating defeat."],
                          "is_fragment": [False]})
    vecs = embedder.encode(sents["text"].tolist())
    cat = load_catalog(path)
    plain = FrameMatcher(cat, embedder, clauses=False, threshold=0.1).fit().transform(sents, vecs)
    excl = FrameMatcher(cat, embedder, clauses=False, threshold=0.1, exclusive=True).fit().transform(sents, vecs)
    both = {"us-there-for-oil", "withdrawal-defeat"}
    assert both <= set(plain.loc[plain.matched, "frame_id"])
    # oil and defeat are siblings of one narrative: both stay matched; unrelated frames do not
    assert both <= set(excl.loc[excl.matched, "frame_id"])
    assert set(excl.loc[excl.matched, "frame_id"]) <= both | {"us-bad"}

"""Issue 21, items 1 and 2: a document decision rests on evidence, and does not move with the neighbours."""

import numpy as np
import pandas as pd
import pytest

from framing.config import FramesConfig
from framing.embed import EmbeddingCache
from framing.frames import FrameMatcher, frame_rollups
from framing.frames.document import document_frame_table

from .fake import FakeEmbedder


def _joined(strengths_by_doc, frame="f", threshold=0.5):
    rows = [{"doc_id": d, "sentence_id": f"{d}-{i}", "frame_id": frame, "score": v / 2, "strength": v,
             "matched": v >= threshold} for d, values in strengths_by_doc.items() for i, v in enumerate(values)]
    return pd.DataFrame(rows)


def test_no_document_uses_a_frame_without_a_matched_sentence_and_no_threshold_sinks_below_background():
    # The responsibility case of issue 21: long articles whose sentences all sit below the typical
    # sentence (strength < 0) and a group a little less far below: a mixture fitted to such a corpus put
    # the document threshold at -0.03 and matched 221 documents from 89 matched sentences.
    rng = np.random.default_rng(21)
    docs = {f"n{i}": list(rng.normal(-0.35, 0.04, 30)) for i in range(150)}
    docs.update({f"w{i}": list(rng.normal(-0.35, 0.04, 27)) + list(rng.normal(-0.02, 0.02, 3)) for i in range(60)})
    docs["m0"] = list(rng.normal(-0.35, 0.04, 27)) + [0.7, 0.65, 0.6]  # one article that does use the frame
    for calibration in ("mixture", "sentence"):
        t = document_frame_table(_joined(docs), {"f": 0.5}, top_k=3, calibration=calibration)
        assert (t["threshold"] >= 0.0).all(), calibration  # never below the typical sentence's strength
        used = t[t["matched"]]
        assert (used["matched_sentences"] > 0).all(), calibration
        assert not t.loc[t["doc_id"].str.startswith("w"), "matched"].any(), calibration
    assert set(used["doc_id"]) == {"m0"}


def test_document_decision_evidence_is_the_passages_that_drove_it():
    docs = {"a": [0.9, 0.2, 0.8, 0.55] + [0.0] * 16,   # 20 sentences: top 2 averaged = 0.85
            "b": [0.6, 0.1, 0.0],                        # short: its best sentence
            "c": [0.45, 0.4, 0.1]}                       # nothing matched
    joined = _joined(docs)
    t = document_frame_table(joined, {"f": 0.5}, top_k=2, calibration="sentence").set_index("doc_id")
    assert t.loc["a", "matched"] and t.loc["a", "evidence_ids"] == ["a-0", "a-2"]
    assert t.loc["a", "evidence_strengths"] == pytest.approx([0.9, 0.8])
    assert t.loc["b", "evidence_ids"] == ["b-0"] and t.loc["b", "evidence_strengths"] == pytest.approx([0.6])
    assert not t.loc["c", "matched"] and t.loc["c", "evidence_ids"] == [] and t.loc["c", "evidence_strengths"] == []
    # every passage of a matched decision is a matched sentence of that document, and evidence_id leads them
    matched = set(joined.loc[joined["matched"], "sentence_id"])
    for doc, row in t[t["matched"]].iterrows():
        assert row["evidence_ids"] and set(row["evidence_ids"]) <= matched
        assert all(s.startswith(f"{doc}-") for s in row["evidence_ids"]) and row["evidence_id"] == row["evidence_ids"][0]
        assert list(row["evidence_strengths"]) == sorted(row["evidence_strengths"], reverse=True)


def test_the_frames_evidence_quotes_come_from_the_document_decisions(tiny_catalog):
    # a stray matched sentence scores higher than the passages of the documents that use the frame:
    # the report's evidence (frames.evidence_ids) must still quote a passage behind a document decision
    sf = pd.DataFrame({"sentence_id": ["s1", "s2", "s3", "t1"] + [f"x{i}" for i in range(28)],
                       "frame_id": "us-there-for-oil",
                       "score": [0.6, 0.55, 0.1, 0.9] + [0.0] * 28, "strength": [0.6, 0.55, 0.1, 0.9] + [0.0] * 28,
                       "matched": [True, True, False, True] + [False] * 28})
    sents = pd.DataFrame({"sentence_id": sf["sentence_id"], "doc_id": ["d1", "d1", "d1"] + ["long"] * 29,
                          "source": "s"})
    tables = frame_rollups(sf, sents, None, tiny_catalog, FramesConfig(document_top_k=3))
    docs = tables.document_frames.set_index("doc_id")
    assert docs.loc["d1", "matched"] and not docs.loc["long", "matched"]  # one stray sentence in 29
    row = tables.frames.set_index("frame_id").loc["us-there-for-oil"]
    assert row["evidence_ids"][0] in docs.loc["d1", "evidence_ids"]


def test_reference_sample_is_shipped_and_large_enough():
    from framing.frames.reference import reference_languages, reference_sentences

    ref = reference_sentences()
    assert {"en", "nl"} <= set(reference_languages())
    counts = ref.groupby("lang").size()
    assert (counts >= 200).all(), counts.to_dict()
    assert not ref["text"].duplicated().any() and ref["sentence_id"].is_unique
    assert not ref["text"].str.startswith("#").any()


def test_reference_thresholds_stay_above_ordinary_sentences(tiny_catalog, embedder):
    from framing.frames.reference import reference_languages, reference_sentences

    q = 0.95
    m = FrameMatcher(tiny_catalog, embedder, calibration="reference", reference_quantile=q, exclusive=False).fit()
    assert m.languages_ == reference_languages() and m.background_.shape == (len(m.languages_) + 1, 3)
    ref = reference_sentences()
    sf = m.transform(ref.assign(is_fragment=False), embedder.encode(ref["text"].tolist()))
    share = sf.merge(ref[["sentence_id", "lang"]]).groupby(["lang", "frame_id"])["matched"].mean()
    n = ref.groupby("lang").size().min()
    assert (share <= (1 - q) + 1.0 / n).all(), share.to_dict()
    # thresholds never sit below the reference's typical sentence, in any language
    assert (m.strength_thresholds_ >= 0.5 - 1e-9).all()
    assert set(m.calibration_["source"]) <= {"reference", "calibrated"}


def test_reference_sentences_go_through_the_embedding_cache(tmp_path, tiny_catalog):
    from framing.frames.reference import reference_sentences

    first = FakeEmbedder()
    with EmbeddingCache(tmp_path) as cache:
        FrameMatcher(tiny_catalog, first, calibration="reference", cache=cache).fit()
        assert cache.count(first.name) >= len(reference_sentences())
    second = FakeEmbedder()
    with EmbeddingCache(tmp_path) as cache:
        FrameMatcher(tiny_catalog, second, calibration="reference", cache=cache).fit()
    assert first.calls >= 1 and second.calls == 0


def _small_corpus():
    texts = {"d1": ["The Americans only want the oil and gas.", "They stay for the oil.", "It will rain tomorrow."],
             "d2": ["The media spread lies and propaganda.", "The football match ended in a draw."],
             "d3": ["It will rain tomorrow in the north.", "The football match ended in a draw.", "Het gaat morgen regenen."],
             "d4": ["US troops withdraw in a humiliating defeat.", "De pers herhaalt propaganda."],
             "d5": ["The Americans talk about oil at the football match.", "It will rain tomorrow."],
             "d6": ["The media and the weather tomorrow.", "The football match ended in a draw."]}
    neutral = ["It will rain tomorrow.", "The football match ended in a draw.", "Het gaat morgen regenen.",
               "The museum opens at ten.", "We had soup for lunch."]
    texts.update({f"n{i}": [neutral[(i + j) % len(neutral)] for j in range(3)] for i in range(6)})
    rows = [(d, f"{d}s{i}", t) for d, ts in texts.items() for i, t in enumerate(ts)]
    return rows  # 28 sentences: enough for the corpus-relative option to calibrate on


def _unrelated_documents(n=80):
    # many documents about oil markets and the press that do not use the frames: they move a corpus's median
    texts = ["American oil and gas prices fell.", "The American press reported US oil prices.", "US gas prices fell.",
             "American media and the press reported on oil.", "The US media reported propaganda prices."]
    return [(f"u{i}", f"u{i}s{j}", texts[(i + j) % len(texts)]) for i in range(n) for j in range(3)]


def _decide(rows, cfg, embedder, tiny_catalog):
    sents = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "text"]).assign(
        is_fragment=False, source="s", lang=lambda d: np.where(d["text"].str.contains("regenen|pers "), "nl", "en"))
    vecs = embedder.encode(sents["text"].tolist())
    m = FrameMatcher(tiny_catalog, embedder, calibration=cfg.calibration, specificity=cfg.specificity,
                     exclusive=cfg.exclusive, reference_quantile=cfg.reference_quantile).fit(sents, vecs)
    tables = frame_rollups(m.transform(sents, vecs), sents, None, tiny_catalog, cfg,
                           document_thresholds=m.document_thresholds())
    docs = tables.document_frames
    return docs.set_index(["doc_id", "frame_id"])["matched"].astype(bool)


def test_a_documents_decision_does_not_change_when_unrelated_documents_are_added(tiny_catalog, embedder):
    small, extra = _small_corpus(), _unrelated_documents()
    cfg = FramesConfig()  # the defaults: reference calibration, fixed document threshold
    assert cfg.calibration == "reference" and cfg.document_calibration == "sentence"
    alone = _decide(small, cfg, embedder, tiny_catalog)
    inside = _decide(small + extra, cfg, embedder, tiny_catalog).reindex(alone.index)
    assert alone.any()  # something is decided at all
    pd.testing.assert_series_equal(alone, inside)
    # the corpus-relative option does move (which is why it is not the default, and is recorded in run.json);
    # the support rule does not read thresholds, so the score rule shows it
    rel = FramesConfig(calibration="corpus", document_rule="score")
    assert not _decide(small, rel, embedder, tiny_catalog).equals(
        _decide(small + extra, rel, embedder, tiny_catalog).reindex(alone.index))


def test_run_json_and_report_state_the_calibration():
    from framing.frames.step import calibration_mode
    from framing.report.sections.frames import CALIBRATION_NOTES

    assert calibration_mode(FramesConfig()) == "reference"
    assert calibration_mode(FramesConfig(calibration="corpus")) == "corpus"
    assert calibration_mode(FramesConfig(document_calibration="mixture")) == "corpus"  # a corpus-relative document threshold
    assert "does not depend" in CALIBRATION_NOTES["reference"] and "move" in CALIBRATION_NOTES["corpus"]


def test_near_miss_floor_keeps_thresholds_above_the_frames_own_near_misses(tiny_catalog, embedder):
    plain = FrameMatcher(tiny_catalog, embedder, calibration="reference").fit()
    floor = FrameMatcher(tiny_catalog, embedder, calibration="reference", near_miss_floor=True).fit()
    i = plain.frame_ids_.index("us-there-for-oil")  # the one frame of the tiny catalog with a near miss
    near = floor._near_miss_level(i)
    level, background = floor.anchor_level_[i], floor.background_[-1, i]
    expected = 0.5 * (1 + max((near - background) / (level - background), 0.0))
    assert floor.strength_thresholds_[-1, i] == pytest.approx(max(plain.strength_thresholds_[-1, i], expected))
    assert (floor.strength_thresholds_ >= plain.strength_thresholds_ - 1e-12).all()

"""Topics whose words their documents do not use again (chatter) leave the topics, in English and Dutch (issue 22)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import TopicsConfig, load_config
from framing.topics import TopicModeler
from framing.topics.burst import MIN_TOPICS_FOR_FENCE, recurrence_share

STORIES = {
    "en": [["senate", "budget", "deficit", "spending", "treasury", "taxes", "appropriations", "shutdown"],
           ["flood", "coast", "storm", "river", "dike", "harbour", "rainfall", "evacuation"],
           ["court", "judge", "appeal", "trial", "verdict", "jury", "lawyer", "ruling"],
           ["farmers", "tractors", "highway", "nitrogen", "cattle", "fields", "barns", "protest"],
           ["ballots", "election", "turnout", "polling", "candidates", "precincts", "recount", "voters"],
           ["vaccine", "virus", "hospital", "doses", "infections", "nurses", "outbreak", "clinics"],
           ["wildfire", "blaze", "firefighters", "acres", "smoke", "drought", "forest", "embers"],
           ["strike", "union", "wages", "workers", "factory", "picket", "contract", "overtime"],
           ["pipeline", "crude", "barrels", "refinery", "drilling", "leak", "tanker", "oilfield"],
           ["tariffs", "exports", "imports", "customs", "steel", "soybeans", "quotas", "shipping"],
           ["earthquake", "rubble", "aftershock", "rescuers", "collapsed", "magnitude", "survivors", "tremor"]],
    "nl": [["senaat", "begroting", "tekort", "uitgaven", "schatkist", "belasting", "kabinet", "bezuiniging"],
           ["overstroming", "kust", "storm", "rivier", "dijk", "haven", "regenval", "evacuatie"],
           ["rechtbank", "rechter", "beroep", "proces", "vonnis", "jury", "advocaat", "uitspraak"],
           ["boeren", "trekkers", "snelweg", "stikstof", "koeien", "akkers", "schuren", "protest"],
           ["stembiljetten", "verkiezing", "opkomst", "stembureau", "kandidaten", "hertelling", "kiezers", "zetels"],
           ["vaccin", "virus", "ziekenhuis", "doses", "besmettingen", "verpleegkundigen", "uitbraak", "klinieken"],
           ["bosbrand", "vuurzee", "brandweer", "hectare", "rookwolk", "droogte", "bossen", "vonken"],
           ["staking", "vakbond", "lonen", "arbeiders", "fabriek", "cao", "contract", "overuren"],
           ["pijpleiding", "ruwe", "vaten", "raffinaderij", "boringen", "lekkage", "tanker", "olieveld"],
           ["importheffingen", "export", "import", "douane", "staal", "sojabonen", "quota", "scheepvaart"],
           ["aardbeving", "puin", "naschok", "reddingswerkers", "ingestort", "kracht", "overlevenden", "beving"]],
}
# Remarks and quotes with nothing in common: words of no story, each of them once in its document.
CHATTER = {
    "en": ["conversation", "talking", "life", "dad", "loves", "commitment", "honest", "feeling", "wonderful",
           "amazing", "tough", "proud", "grateful", "family", "friends", "kids", "dream", "journey", "heart",
           "lesson", "challenge", "chance", "hope", "believe", "mistake", "meltdown", "deadline", "minds"],
    "nl": ["gesprek", "praten", "leven", "vader", "houdt", "toewijding", "eerlijk", "gevoel", "prachtig",
           "geweldig", "zwaar", "trots", "dankbaar", "familie", "vrienden", "kinderen", "droom", "reis", "hart",
           "les", "uitdaging", "kans", "hoop", "geloven", "fout", "inzinking", "deadline", "hoofden"],
}


def corpus(lang: str, rng: np.random.Generator):
    """Eleven stories, each told in three documents of five sentences, and one remark in every document.

    Story sentences draw their words from the story's eight, so a document returns to them; each
    remark draws from the chatter words, and no document holds two remarks.
    """
    texts, docs, blob = [], [], []
    for s, words in enumerate(STORIES[lang]):
        for d in range(3):
            doc = f"s{s}d{d}"
            for _ in range(5):
                texts.append(" ".join(rng.choice(words, size=6, replace=False)).capitalize() + ".")
                docs.append(doc)
                blob.append(s)
            texts.append(" ".join(rng.choice(CHATTER[lang], size=6, replace=False)).capitalize() + ".")
            docs.append(doc)
            blob.append(len(STORIES[lang]))
    centers = np.eye(16)[: len(STORIES[lang]) + 1] * 10
    emb = np.asarray([centers[b] + rng.normal(scale=0.5, size=16) for b in blob], dtype=np.float32)
    return texts, docs, np.array(blob), emb


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_storys_words_recur_in_its_documents_and_chatters_do_not(lang):
    texts, docs, blob, _ = corpus(lang, np.random.default_rng(0))
    chatter = len(STORIES[lang])
    keywords = {0: STORIES[lang][0], 1: STORIES[lang][1], chatter: CHATTER[lang]}
    shares = recurrence_share(texts, docs, blob, keywords, frozenset())
    assert shares[0] == 1.0 and shares[1] == 1.0
    assert shares[chatter] == 0.0


def test_a_sentence_counts_only_when_another_sentence_of_its_document_uses_the_word():
    texts = ["The tram attack in Utrecht", "Utrecht mourns", "Talking about life", "Life goes on",
             "Talking about life again"]
    docs = ["a", "a", "b", "c", "c"]
    topics = np.array([0, -1, 1, 1, 1])
    shares = recurrence_share(texts, docs, topics, {0: ["utrecht"], 1: ["talking", "life"]}, frozenset())
    assert shares[0] == 1.0                      # "Utrecht" again in its document, outside the topic
    assert shares[1] == pytest.approx(2 / 3)     # the remark alone in document b does not recur
    # the same sentences, each its own document: nothing recurs
    alone = recurrence_share(texts, [str(i) for i in range(5)], topics, {0: ["utrecht"], 1: ["talking", "life"]},
                             frozenset())
    assert alone == {0: 0.0, 1: 0.0}


FIT = {"reducer": "pca", "min_cluster_size": 5}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_fit_leaves_chatter_out_and_counts_it(lang):
    texts, docs, blob, emb = corpus(lang, np.random.default_rng(1))
    chatter = blob == len(STORIES[lang])
    ids = [f"x{i}" for i in range(len(texts))]
    # the other rules on: chatter is a sentence in every document, so it is no document's main topic; keep it
    # from that rule to see this one (on AllSides it survived that rule as the main topic of quote-heavy articles)
    cfg = {**FIT, "min_main_documents": 0, "min_anchored_share": 0.0}
    off = TopicModeler(TopicsConfig(**cfg), seed=1).fit(texts, emb, [lang] * len(texts), ids, docs)
    assert (off.labels_[chatter] >= 0).mean() > 0.8 and len(set(off.labels_[chatter].tolist())) == 1
    assert off.moves_["unbursty_topics"] == 0 and off.unbursty_ == {}
    on = TopicModeler(TopicsConfig(**cfg, recurrence_fence=1.5), seed=1).fit(
        texts, emb, [lang] * len(texts), ids, docs)
    assert (on.labels_[chatter] < 0).mean() > 0.8
    assert (on.labels_[~chatter] >= 0).all()
    assert len(on.topics_) == len(STORIES[lang])
    assert on.moves_["unbursty_topics"] >= int(0.8 * chatter.sum()) and len(on.unbursty_) == 1
    assert "recurrence share 0.00" in next(iter(on.unbursty_.values()))


def test_a_corpus_of_one_sentence_posts_loses_nothing():
    """Posts and comments are too short for any word to recur: the fence is relative, so it drops nothing."""
    rng = np.random.default_rng(2)
    texts, docs, blob, emb = corpus("en", rng)
    single = [f"p{i}" for i in range(len(texts))]
    ids = [f"x{i}" for i in range(len(texts))]
    cfg = {**FIT, "min_main_documents": 0, "min_anchored_share": 0.0, "recurrence_fence": 1.5}
    tm = TopicModeler(TopicsConfig(**cfg), seed=1).fit(texts, emb, ["en"] * len(texts), ids, single)
    assert tm.moves_["unbursty_topics"] == 0 and len(tm.topics_) == len(STORIES["en"]) + 1


def test_fewer_topics_than_the_fence_needs_say_nothing():
    rng = np.random.default_rng(3)
    texts, docs, blob, emb = corpus("en", rng)
    keep = blob >= len(STORIES["en"]) - (MIN_TOPICS_FOR_FENCE - 2)  # the chatter and a few stories
    sel = np.flatnonzero(keep)
    cfg = {**FIT, "min_main_documents": 0, "min_anchored_share": 0.0, "recurrence_fence": 1.5}
    tm = TopicModeler(TopicsConfig(**cfg), seed=1).fit([texts[i] for i in sel], emb[sel], ["en"] * len(sel),
                                                       [f"x{i}" for i in sel], [docs[i] for i in sel])
    assert len(set(blob[sel].tolist())) < MIN_TOPICS_FOR_FENCE
    assert tm.moves_["unbursty_topics"] == 0


def test_switch():
    assert TopicsConfig().recurrence_fence == load_config().topics.recurrence_fence == 0.0
    assert load_config(overrides=["topics.recurrence_fence=1.5"]).topics.recurrence_fence == 1.5
    with pytest.raises(ValueError):
        TopicsConfig(recurrence_fence=-1)

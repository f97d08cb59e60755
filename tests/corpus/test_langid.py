"""Language identification with lingua, per text and per sentence of a mixed Dutch/English archive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.config import Config
from framing.corpus.langid import LanguageIdentifier, supported_languages
from framing.errors import ConfigError, LanguageWarning
from framing.segment import build_sentences

SEED_002 = next((Path(__file__).resolve().parents[2] / "seeds").glob("002_*.txt"))

DUTCH = [
    "Alsof het vreemd is dat een soevereine staat als Syrië haar eigen grondgebied wil beheren......",
    "Het Internationaal Strafhof moet eindelijk de VS aanklagen voor alle begane oorlogsmisdaden!",
    "Nu heeft de VS dus het grootste deel van Raqqa platgegooid en alweer een groot aantal burgers vermoord.......",
]
ENGLISH = [
    "This resulted in at least 433 civilian deaths in that month alone.",
    "Raqqa covers approximately 40 square kilometers – less than half the size of West Mosul.",
]


@pytest.fixture(scope="module")
def identifier():
    """The default configuration's twelve languages: the detector users get."""
    return LanguageIdentifier.from_config(Config().language)


def test_example_sentences_are_real_sentences_of_seed_002():
    text = SEED_002.read_text(encoding="utf-8")
    assert all(s in text for s in DUTCH + ENGLISH)


def test_dutch_sentences_of_seed_002_are_nl(identifier):
    results = identifier.detect_many(DUTCH)
    assert [lang for lang, _ in results] == ["nl"] * len(DUTCH)
    assert all(conf >= 0.5 for _, conf in results)


def test_english_sentences_inside_seed_002_are_en(identifier):
    assert [identifier.detect(s)[0] for s in ENGLISH] == ["en", "en"]


def test_short_text_is_undetermined_without_scoring(identifier):
    assert identifier.detect("Too late now.") == ("und", 0.0)
    assert identifier.detect("") == ("und", 0.0)


def test_unsure_text_is_undetermined_but_keeps_its_score():
    ident = LanguageIdentifier(languages=("en", "nl"), min_confidence=0.999, min_chars=5)
    lang, conf = ident.detect("Syria Raqqa Mosul Assad")
    assert lang == "und" and 0.0 < conf < 0.999


def test_detect_many_keeps_order_and_matches_detect(identifier):
    texts = [DUTCH[0], ENGLISH[0], "?", DUTCH[0]]
    many = identifier.detect_many(texts)
    assert many == [identifier.detect(t) for t in texts]
    assert [lang for lang, _ in many] == ["nl", "en", "und", "nl"]
    assert identifier.detect_many([]) == []


def test_scores_shape_and_rows(identifier):
    scores = identifier.scores(DUTCH + ["!!!"])
    assert scores.shape == (4, 12) and scores.dtype == np.float64
    np.testing.assert_allclose(scores[:3].sum(axis=1), 1.0, atol=1e-6)
    assert scores[3].sum() == 0.0
    assert identifier.codes[int(scores[0].argmax())] == "nl"


def test_constructor_only_stores_arguments():
    ident = LanguageIdentifier(languages=["EN", "nl", "en"], min_confidence=0.7, min_chars=5)
    assert ident.languages == ["EN", "nl", "en"] and ident.min_confidence == 0.7 and ident.min_chars == 5
    assert ident.codes == ("en", "nl")


def test_unknown_language_code_is_a_config_error():
    with pytest.raises(ConfigError, match=r"language.languages.*'xx'.*ISO 639-1"):
        LanguageIdentifier(languages=("en", "xx")).detect("Some text that is long enough.")
    with pytest.raises(ConfigError, match="at least two"):
        LanguageIdentifier(languages=("en",)).detect("Some text that is long enough.")
    assert {"en", "nl", "uk", "ar"} <= set(supported_languages())


def test_seed_002_sentences_get_their_own_language(identifier):
    """The Dutch archive republishes English articles: each sentence keeps its own language."""
    text = SEED_002.read_text(encoding="utf-8")
    docs = pd.DataFrame({"doc_id": ["s002"], "text": [text], "language": ["nl"]})
    sents, _, _ = build_sentences(docs, Config(), identifier)
    lang_of = dict(zip(sents["text"], sents["lang"]))
    for sentence in DUTCH:
        assert lang_of[sentence] == "nl"
    for sentence in ENGLISH:
        assert lang_of[sentence] == "en"
    assert {"nl", "en"} <= set(sents["lang"])
    assert (sents["lang"] == "nl").sum() > 50 and (sents["lang"] == "en").sum() > 50


def _units(texts, languages):
    return pd.DataFrame({"doc_id": [f"u{i}" for i in range(len(texts))], "text": texts, "language": languages})


def test_unit_language_is_the_one_holding_most_characters():
    ident = LanguageIdentifier(languages=("en", "nl", "de"))
    text = f"{DUTCH[1]}\n\n{ENGLISH[0]} {ENGLISH[1]} The coalition reported a record number of bombs dropped."
    sents, lang, conf = build_sentences(_units([text], ["nl"]), Config(), ident)
    assert sents["lang"].tolist()[0] == "nl" and set(sents["lang"].tolist()[1:]) == {"en"}
    assert lang.tolist() == ["en"]
    assert 0.5 <= conf.item() < 1.0  # a mixed unit is less sure than a pure one


def test_manifest_language_wins_only_when_detection_is_unsure():
    ident = LanguageIdentifier(languages=("en", "nl", "de"))
    short = "Ja. Nee. Tja."  # every sentence too short, the whole unit too
    with pytest.warns(LanguageWarning, match="1 of 3 units have no identifiable language.*'u2'"):
        sents, lang, conf = build_sentences(_units([short, ENGLISH[0], short], ["nl", "nl", None]), Config(), ident)
    assert lang.tolist() == ["nl", "en", "und"]
    assert sents.loc[sents["doc_id"] == "u0", "lang"].tolist() == ["nl", "nl", "nl"]
    assert sents.loc[sents["doc_id"] == "u2", "lang"].tolist() == ["und"] * 3
    assert conf.tolist()[1] > 0.5 and conf.tolist()[2] == 0.0


def test_unit_of_short_sentences_is_detected_as_a_whole():
    ident = LanguageIdentifier(languages=("en", "nl", "de"))
    text = "Too late now. Again stupid propaganda. What a shame. Who knew?"
    sents, lang, _ = build_sentences(_units([text], [None]), Config(), ident)
    assert lang.tolist() == ["en"]
    assert set(sents["lang"]) == {"en"}


def test_short_sentences_take_the_language_of_their_passage():
    """Inside a Dutch post, "Woods added:" between English sentences is English; a date before Dutch is Dutch."""
    ident = LanguageIdentifier(languages=("en", "nl", "de"))
    text = (
        f"vrijdag 23 juni 2017\n\n{DUTCH[0]} {DUTCH[1]} {DUTCH[2]}\n\n"
        f"{ENGLISH[0]}\n\nWoods added:\n\n{ENGLISH[1]}"
    )
    sents, lang, _ = build_sentences(_units([text], ["nl"]), Config(), ident)
    lang_of = dict(zip(sents["text"], sents["lang"]))
    assert lang_of["Woods added:"] == "en"
    assert lang_of["vrijdag 23 juni 2017"] == "nl"
    assert lang.tolist() == ["nl"]


def test_short_sentence_between_two_languages_takes_the_unit_language():
    ident = LanguageIdentifier(languages=("en", "nl", "de"))
    text = f"{DUTCH[0]} {DUTCH[2]}\n\nZie hieronder:\n\n{ENGLISH[0]}"
    sents, lang, conf = build_sentences(_units([text], ["nl"]), Config(), ident)
    row = sents[sents["text"] == "Zie hieronder:"]
    assert row["lang"].item() == lang.item() == "nl"
    assert row["lang_confidence"].item() == conf.item()


def test_scores_in_small_batches_equal_one_batch(identifier, monkeypatch):
    from framing.corpus import langid

    texts = ["The troops left the base this morning.", "De troepen vertrokken vanochtend uit de basis.",
             "x", "Les soldats ont quitté la base ce matin.", "The war goes on and on, officials said today."]
    whole = identifier.scores(texts)
    monkeypatch.setattr(langid, "BATCH_CHARS", 50)  # every text, or two short ones, per batch
    np.testing.assert_array_equal(identifier.scores(texts), whole)


def test_visible_characters_are_counted_without_splitting_into_words():
    from framing.corpus.langid import _n_visible

    text = "a\tb\u3000c\u00a0d\n\ne " * 3
    assert _n_visible(text) == len("".join(text.split())) == 15

"""Who is speaking: own words, quotes (also over several sentences) and reported speech, with speakers,
in English and Dutch; quotation marks only in other languages; the sentences table's columns; compare_voice."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.compare.run import compare_tables
from framing.compare.voice import VOICE_COLUMNS, voice_table
from framing.config import CompareConfig, Config, load_config
from framing.errors import InputError
from framing.segment import SENTENCE_COLUMNS, build_sentences, split_sentences
from framing.store import COMPARE_TABLES, COMPARE_VOICE
from framing.voice import mark_voices, quote_spans, voice_columns
from framing.voice_rules import find_reported

HERE = Path(__file__).parent
TINY = HERE / "data" / "tiny"
SEEDS = HERE.parent / "seeds"


def voices(text: str, lang: str = "en", parts: list[str] | None = None) -> list[tuple[str, str, str | None]]:
    """(sentence, voice, speaker) of each sentence of a text, split as the pipeline splits it, or into ``parts``
    (pysbd keeps a quote's sentences together; other splitters, and the segmenter on other texts, do not)."""
    if parts is None:
        spans = split_sentences(text, lang)
    else:
        spans, pos = [], 0
        for part in parts:
            start = text.index(part, pos)
            spans.append((start, start + len(part)))
            pos = start + len(part)
    return [(text[s:e], v, who) for (s, e), (v, who) in zip(spans, mark_voices(text, spans, lang))]


# -- English -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("Russian Foreign Ministry spokeswoman Maria Zakharova said the US troops would stay.",
     "Russian Foreign Ministry spokeswoman Maria Zakharova"),
    ("According to the Pentagon, the base was hit by three rockets.", "Pentagon"),
    ("Smith told reporters that the base was closed.", "Smith"),
    ("The base was closed on Monday, said John Smith.", "John Smith"),
    ("The group also vowed to continue military actions against US forces.", "group"),
    ("Chris Woods, director of Airwars, told Al Jazeera that the strikes were deadly.", "Chris Woods"),
    ("The Russian side noted that many fighters had joined.", "Russian side"),
    ("Syrian lawmaker Ammar al-Asad reportedly told Sputnik that the army would respond.", "Syrian lawmaker Ammar al-Asad"),
    ("At least one senator, Arizona’s John McCain, said he should drop out.", "Arizona’s John McCain"),
    ("The army declared that the town was taken.", "army"),
])
def test_english_reported_speech_and_its_speaker(text, speaker):
    assert voices(text) == [(text, "reported", speaker)]


@pytest.mark.parametrize("text", [
    "The war goes on and the troops stay in the desert.",
    "I said that before and I say it again.",
    "That said, the war goes on.",
    "Having said that, nobody will leave.",
    "Iraq’s army won’t leave the soldiers’ base, and they don't care.",
    "The so-called ‘moderate rebels’ attacked the town again this morning and burned the market.",
    "The United States has bombed Raqqa for months.",  # "States" is not the verb "states"
    "Kinshchak also slammed the approach towards alleged chemical attacks.",
    "Florida Gov. Rick Scott declared a state of emergency on Monday.",  # an act, not speech
    "In the environment involving Mr. Akin’s comments, a decision by Mr. Romney will open his campaign to attacks.",
])
def test_english_own_words(text):
    assert voices(text) == [(text, "own", None)]


def test_a_quote_with_its_attribution_is_a_quote():
    text = "“This carnage stops here,” Trump declared, to loud applause from the crowd in the square."
    assert voices(text) == [(text, "quote", "Trump")]


def test_a_quote_over_several_sentences_with_its_speaker():
    text = "“We will stay. We will fight. We will win,” the minister said. The war goes on."
    parts = ["“We will stay.", "We will fight.", "We will win,” the minister said.", "The war goes on."]
    assert voices(text, parts=parts) == [
        ("“We will stay.", "quote", "minister"), ("We will fight.", "quote", "minister"),
        ("We will win,” the minister said.", "quote", "minister"), ("The war goes on.", "own", None),
    ]


def test_a_quote_open_at_a_paragraph_end_continues_in_the_next_paragraph_and_pronouns_find_their_speaker():
    text = ("Lavrov said the talks had failed.\n\n“We will stay in Syria.\n\n“We will not leave,” he said. "
            "He added that Russia was ready.\n\nThe talks end today.")
    got = voices(text)
    assert got == [
        ("Lavrov said the talks had failed.", "reported", "Lavrov"),
        ("“We will stay in Syria.", "quote", None),  # its attribution is in the next paragraph
        ("“We will not leave,” he said.", "quote", "Lavrov"),
        ("He added that Russia was ready.", "reported", "Lavrov"),
        ("The talks end today.", "own", None),
    ]


def test_an_unclosed_quote_does_not_leak_past_its_paragraph():
    text = "He wrote “this is the end of it.\n\nOur own view is different and longer than that."
    assert [v for _, v, _ in voices(text)] == ["quote", "own"]


def test_a_closing_mark_alone_closes_a_quote_from_the_paragraph_start():
    text = "Woods added:\n\nPrecision tells you where the bomb goes. It does not tell you who dies.”\n\nThe end came."
    assert voices(text) == [("Woods added:", "reported", "Woods"), ("Precision tells you where the bomb goes.", "quote", "Woods"),
                            ("It does not tell you who dies.”", "quote", "Woods"), ("The end came.", "own", None)]


@pytest.mark.parametrize("text, quoted", [
    ("He said “we stay” and left.", ["“we stay”"]),
    ("Ze zei „we blijven” en ging.", ["„we blijven”"]),
    ("Ze zei „we blijven“ en ging.", ["„we blijven“"]),
    ("Il a dit « nous restons » et il est parti.", ["« nous restons »"]),
    ('He said "we stay" and left.', ['"we stay"']),
    ("He said ‘we stay’ and left the soldiers’ base.", ["‘we stay’"]),
    ("He said 'we stay' and left.", ["'we stay'"]),
    ("Er wordt 's avonds en 't hele jaar gevochten, zei hij 'gisteren'.", ["'gisteren'"]),
    ("“He told me ‘never’ twice,” she said.", ["“He told me ‘never’ twice,”"]),
    ("Iraq’s army won’t leave. 5' of rope and 6\" of wire.", []),
])
def test_quotation_marks_of_every_style_and_apostrophes(text, quoted):
    assert [text[a:b] for a, b in quote_spans(text)] == quoted


# -- Dutch --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, voice, speaker", [
    ("Volgens de minister is de oorlog voorbij.", "reported", "minister"),
    ("„Wij blijven in Syrië,” zei premier Rutte.", "quote", "premier Rutte"),
    ("Rusland liet dinsdag weten dat het blijft.", "reported", "Rusland"),
    ("Het zou om gaswinning gaan, aldus de VS.", "reported", "VS"),
    ("De minister verklaarde dat de troepen blijven.", "reported", "minister"),
    ("Deze organisatie stelt dat er 433 burgers zijn gedood.", "reported", "organisatie"),
    ("Dat zei woordvoerder Jansen gisteren in Den Haag.", "reported", "woordvoerder Jansen"),
    ("Volgens mij is dat onzin.", "own", None),
    ("Ik zei dat al eerder.", "own", None),
    ("Je kan rustig stellen, dat de Koerden worden misbruikt.", "own", None),
    ("De VS valt Syrië aan, alweer een misdaad.", "own", None),
])
def test_dutch_voices_and_speakers(text, voice, speaker):
    assert voices(text, "nl") == [(text, voice, speaker)]


def test_dutch_quote_over_two_sentences():
    text = "„We blijven. We vechten door,” zei de minister. Het regent."
    parts = ["„We blijven.", "We vechten door,” zei de minister.", "Het regent."]
    assert voices(text, "nl", parts) == [("„We blijven.", "quote", "minister"), ("We vechten door,” zei de minister.", "quote", "minister"),
                                  ("Het regent.", "own", None)]


# -- other languages: quotation marks only -------------------------------------------------------------

def test_other_languages_read_quotation_marks_only():
    text = "« Nous restons en Syrie », a déclaré le ministre. Le ministre a déclaré que les troupes restent."
    assert [v for _, v, _ in voices(text, "fr")] == ["quote", "own"]
    assert find_reported("Le ministre a déclaré que les troupes restent.", "fr") == (False, None)


# -- the sentences table ------------------------------------------------------------------------------

def test_build_sentences_adds_voice_and_speaker_per_unit():
    docs = pd.DataFrame({"doc_id": ["d1", "d2"], "language": ["en", "nl"], "text": [
        "“We will stay. We will win,” Lavrov said. The war goes on.",
        "Volgens de minister is het voorbij. Het regent."]})
    sents, _, _ = build_sentences(docs, Config())
    assert list(sents.columns) == list(SENTENCE_COLUMNS) and {"voice", "speaker"} <= set(SENTENCE_COLUMNS)
    assert sents["text"].tolist()[:2] == ["“We will stay. We will win,” Lavrov said.", "The war goes on."]
    assert sents[["voice", "speaker"]].fillna("").values.tolist() == [
        ["quote", "Lavrov"], ["own", ""], ["reported", "minister"], ["own", ""]]


def test_ingested_tiny_run_has_the_voice_columns(tmp_path):
    from framing.jobs.ingest import run_ingest

    tables = run_ingest([TINY], load_config(), tmp_path / "run").tables
    sents = tables["sentences"]
    assert {"voice", "speaker"} <= set(sents.columns)
    assert set(sents["voice"]) <= {"own", "quote", "reported"} and sents["voice"].notna().all()
    officials = sents[sents["text"].str.startswith("Officials said")]
    assert officials[["voice", "speaker"]].values.tolist() == [["reported", "Officials"]]


def test_voice_columns_rebuild_what_build_sentences_wrote():
    docs = pd.DataFrame({"doc_id": ["d1"], "language": ["en"],
                         "text": ["“We will stay. We will win,” Lavrov said. He added that Russia was ready."]})
    sents, _, _ = build_sentences(docs, Config())
    again = voice_columns(docs, sents.sample(frac=1, random_state=0)).reindex(sents.index)
    pd.testing.assert_frame_equal(again, sents[["voice", "speaker"]].astype(object), check_dtype=False)


def test_seeds_are_marked_in_well_under_a_second():
    from framing.segment.step import ingest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ingest([SEEDS], load_config(overrides=["embedding.cache=false"]))
    docs, sents = result.documents, result.sentences
    start = time.perf_counter()
    again = voice_columns(docs, sents)
    print(f"voice of {len(sents)} seed sentences: {time.perf_counter() - start:.3f} s")
    assert again["voice"].tolist() == sents["voice"].tolist()
    counts = sents["voice"].value_counts()
    assert counts["own"] > counts["reported"] > 10 and counts["quote"] > 10
    zakarova = sents[sents["text"].str.contains("Zakarova said")]
    assert set(zakarova["speaker"]) >= {"Zakarova"}


# -- compare_voice ------------------------------------------------------------------------------------

def _run_tables(with_voice: bool = True) -> dict[str, pd.DataFrame]:
    texts = ["“The troops are there for the oil,” Lavrov said. The oil goes to Texas.",
             "Officials said the oil fields were guarded. The weather is cold.",
             "“They only want oil,” Zakharova said. Sanctions hurt families."]
    docs = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "source": ["alpha", "alpha", "beta"], "role": ["article"] * 3,
                         "date": ["2020-01-01"] * 3, "language": ["en"] * 3, "text": texts})
    sents, _, _ = build_sentences(docs, Config())
    if not with_voice:
        sents = sents.drop(columns=["voice", "speaker"])
    oil = {0, 1, 2, 4}  # quote (a1), own (a1), reported (a2), quote (b1)
    sf = pd.DataFrame({"sentence_id": sents["sentence_id"].tolist() * 2,
                       "frame_id": ["oil"] * len(sents) + ["families"] * len(sents),
                       "matched": [i in oil for i in range(len(sents))] + [i == 5 for i in range(len(sents))]})
    frames = pd.DataFrame({"frame_id": ["oil", "families", "unused"], "label": ["Oil", "Families", "Unused"]})
    return {"documents": docs, "sentences": sents, "sentence_frames": sf, "frames": frames}


def test_voice_table_counts_frames_by_voice_with_named_denominators():
    tables = _run_tables()
    groups = pd.Series({"a1": "alpha", "a2": "alpha", "b1": "beta"})
    t = voice_table(tables["sentences"], tables["sentence_frames"], groups, "source", tables["frames"])
    assert list(t.columns) == VOICE_COLUMNS
    assert len(t) == 3 * 3 * 3  # (alpha, beta, corpus) x 3 frames x 3 voices
    alpha = t[(t.group == "alpha") & (t.item == "oil")].set_index("voice")
    assert alpha["sentences"].to_dict() == {"own": 1, "quote": 1, "reported": 1}
    assert (alpha["frame_sentences"] == 3).all() and alpha["share_of_frame_sentences"].sum() == pytest.approx(1)
    assert alpha.loc["own", "voice_sentences"] == 2 and alpha.loc["own", "share_of_voice_sentences"] == pytest.approx(0.5)
    assert alpha.loc["quote", "top_speakers"] == "Lavrov (1)" and alpha.loc["reported", "top_speakers"] == "Officials (1)"
    beta = t[(t.group == "beta") & (t.item == "oil")]
    assert beta["quotes_only"].all() and not alpha["quotes_only"].any()
    corpus = t[(t.level == "corpus") & (t.item == "oil")].set_index("voice")
    assert corpus["group"].isna().all() and corpus["sentences"].to_dict() == {"own": 1, "quote": 2, "reported": 1}
    assert corpus.loc["quote", "top_speakers"] == "Lavrov (1); Zakharova (1)" and not corpus["quotes_only"].any()
    families = t[(t.level == "corpus") & (t.item == "families")].set_index("voice")
    assert families.loc["own", "sentences"] == 1 and not families["quotes_only"].any()
    unused = t[t.item == "unused"]
    assert (unused["sentences"] == 0).all() and not unused["quotes_only"].any()


def test_compare_tables_write_compare_voice_also_for_a_run_without_voice_columns():
    assert COMPARE_VOICE in COMPARE_TABLES
    new = compare_tables(_run_tables(), "source", CompareConfig(bootstrap=100), seed=1)
    old = compare_tables(_run_tables(with_voice=False), "source", CompareConfig(bootstrap=100), seed=1)
    assert set(new[COMPARE_VOICE]["by"]) == {"source"}
    pd.testing.assert_frame_equal(new[COMPARE_VOICE], old[COMPARE_VOICE])


def test_voice_table_says_what_it_lacks():
    tables = _run_tables(with_voice=False)
    with pytest.raises(InputError, match="voice, speaker"):
        voice_table(tables["sentences"], tables["sentence_frames"], pd.Series(dtype=object), "source")

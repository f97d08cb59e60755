"""Sentence segmentation: offsets, paragraph and line rules, fragments, build_sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.config import Config
from framing.corpus.langid import LanguageIdentifier
from framing.errors import InputError
from framing.segment import SENTENCE_COLUMNS, build_sentences, count_words, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DATA = Path(__file__).resolve().parent / "data" / "segment"


def texts_of(text: str, lang: str = "en", max_chars: int = 2000) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang, max_chars)]


def assert_partition(text: str, spans: list[tuple[int, int]], max_chars: int = 2000) -> None:
    """Spans are ordered, disjoint, stripped, within max_chars, and cover every non-space character."""
    covered = [False] * len(text)
    last_end = 0
    for start, end in spans:
        assert last_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        assert end - start <= max_chars
        for i in range(start, end):
            covered[i] = True
        last_end = end
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"characters lost at {missing[:5]}"


def test_english_abbreviations_do_not_end_sentences():
    text = "The U.S. Army said Maj. Gen. John Smith arrived on Monday. He left at noon! Did he?"
    assert texts_of(text) == [
        "The U.S. Army said Maj. Gen. John Smith arrived on Monday.",
        "He left at noon!",
        "Did he?",
    ]


def test_dutch_abbreviations_do_not_end_sentences():
    text = "De VS, NB illegaal aanwezig, viel o.a. Syrische troepen aan. Dat is t.o.v. juli een stijging. Zie bijv. dit."
    assert texts_of(text, "nl") == [
        "De VS, NB illegaal aanwezig, viel o.a. Syrische troepen aan.",
        "Dat is t.o.v. juli een stijging.",
        "Zie bijv. dit.",
    ]


def test_a_piece_that_continues_the_sentence_before_is_not_a_sentence():
    # pysbd cuts after an abbreviation that ends a name; no sentence starts with a comma or a possessive.
    text = ("Sen. Cory Gardner, R-Colo., head of the campaign arm, said no. Files came from Trump Jr.\u2019s "
            "attorneys. Rep. Randy Forbes, R-Va.; he agreed.")
    assert texts_of(text) == [
        "Sen. Cory Gardner, R-Colo., head of the campaign arm, said no.",
        "Files came from Trump Jr.\u2019s attorneys.",
        "Rep. Randy Forbes, R-Va.; he agreed.",
    ]
    assert_partition(text, split_sentences(text))
    # A sentence that only starts with a quote mark or a word is still its own sentence.
    assert texts_of("He left. 'Sure,' she said. So it goes.") == ["He left.", "'Sure,' she said.", "So it goes."]


def test_a_closing_quotation_mark_stays_with_its_sentence():
    # pysbd does not know the Dutch and German opening mark and cut before the closing one.
    text = "Hij zei: \u201eDat is o.a. onzin. Echt.\u201d Klaar."
    assert texts_of(text, "nl") == ["Hij zei: \u201eDat is o.a. onzin.", "Echt.\u201d", "Klaar."]
    assert_partition(text, split_sentences(text, "nl"))
    assert texts_of('"Is it?" he asked. "Mr. Smith went to Washington." No.') == [
        '"Is it?" he asked.', '"Mr. Smith went to Washington."', "No."]


def test_runs_of_dots_stay_with_their_sentence():
    text = "Syrische troepen aan...... Alweer een oorlogsmisdaad..... ha! ha!"
    sentences = texts_of(text, "nl")
    assert sentences[:2] == ["Syrische troepen aan......", "Alweer een oorlogsmisdaad....."]
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


def test_blank_line_always_ends_a_sentence():
    text = "donderdag 8 februari 2018\n\n  \t\nVS coalitie valt Syrische troepen aan"
    assert texts_of(text, "nl") == ["donderdag 8 februari 2018", "VS coalitie valt Syrische troepen aan"]


def test_hard_wrapped_comment_is_not_split_at_every_line():
    seed = next(p for p in SEEDS if p.name.startswith("004")).read_text(encoding="utf-8")
    start = seed.index("Imperialism of Destruction")
    comment = seed[start : seed.index("\n\n", start)]
    sentences = texts_of(comment)
    assert len(comment.splitlines()) == 8
    assert len(sentences) < 8
    joined = "Barbaric Murder of 100 Syrian Soldiers who have been defending Syria\nagainst TERRORISM"
    assert any(joined in s for s in sentences)
    assert_partition(comment, split_sentences(comment))


def test_single_newline_ends_a_sentence_after_punctuation_heading_or_list_marker():
    body = "This is a long line of body text that goes on for quite a while, and then"
    text = f"Short heading\n{body}\nit continues here.\nNext sentence\n- first item\n- second item"
    assert texts_of(text) == [
        "Short heading",
        f"{body}\nit continues here.",
        "Next sentence",
        "- first item",
        "- second item",
    ]


def test_paragraph_of_short_lines_is_a_list():
    assert texts_of("John Mason\nBulgarian God\nHide Behind") == ["John Mason", "Bulgarian God", "Hide Behind"]


def test_long_sentence_is_cut_at_whitespace():
    text = " ".join(f"word{i}" for i in range(200))  # about 1,300 characters, no punctuation
    spans = split_sentences(text, max_chars=100)
    assert len(spans) > 10
    assert_partition(text, spans, max_chars=100)
    assert all(re.fullmatch(r"\S+", text[s - 1]) is None for s, _ in spans[1:])  # each cut is at whitespace


def test_long_word_without_whitespace_is_cut_hard():
    text = "x" * 250
    assert split_sentences(text, max_chars=100) == [(0, 100), (100, 200), (200, 250)]


def test_unknown_language_uses_english_rules():
    text = "The U.S. said so. Then it left."
    assert texts_of(text, "uk") == texts_of(text, "xx") == texts_of(text, "en")


def test_whitespace_only_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t\xa0 \r\n") == []


def test_crlf_and_nonbreaking_spaces_keep_exact_offsets():
    text = "First line here.\r\nSecond\xa0line, with\u2028odd spaces.\r\n\r\n  Third.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First line here.", "Second\xa0line, with\u2028odd spaces.", "Third."]
    assert_partition(text, spans)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_offsets_cover_every_seed_paragraph(path):
    text = path.read_text(encoding="utf-8")
    lang = "nl" if path.name.startswith("002") else "en"
    for paragraph in re.split(r"\n[^\S\n]*\n", text):
        spans = split_sentences(paragraph, lang)
        assert_partition(paragraph, spans)
    assert_partition(text, split_sentences(text, lang))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab Z.!?…,:'\"”\n\n\t\r\xa0-*1é") + ["U.S. ", "Maj. ", "o.a. ", "ha", "Word "]),
        max_size=150,
    ).map("".join),
    st.sampled_from(["en", "nl", "de", "xx"]),
    st.integers(min_value=5, max_value=400),
)
def test_offsets_property_on_random_text(text, lang, max_chars):
    assert_partition(text, split_sentences(text, lang, max_chars), max_chars)


def test_count_words():
    assert count_words("Don't stop-loss now, 2018! ?") == 4
    assert count_words("…") == 0


@pytest.fixture(scope="module")
def identifier():
    return LanguageIdentifier(languages=("en", "nl", "de", "fr"))


def documents(**columns) -> pd.DataFrame:
    n = len(columns["text"])
    base = {
        "doc_id": [f"d{i}" for i in range(n)],
        "page_id": [f"p{i}" for i in range(n)],
        "source": ["blog"] * n,
        "role": ["comment"] * n,
        "author": ["Cheryl"] * n,
        "date": ["2018-02-08"] * n,
        "language": [None] * n,
    }
    base.update(columns)
    return pd.DataFrame(base, index=[10 + i for i in range(n)])


def test_build_sentences_table_contract(identifier):
    text = "The United States attacked Syrian troops near the river.\n\n?\n\nMore than one hundred fighters were killed there."
    docs = documents(text=[text, "Dit is een Nederlandse zin over de oorlog in Syrië, helaas."])
    sents, lang, conf = build_sentences(docs, Config(), identifier)
    assert list(sents.columns) == list(SENTENCE_COLUMNS)
    assert sents["sentence_id"].is_unique
    assert sents["text"].tolist() == [
        "The United States attacked Syrian troops near the river.",
        "?",
        "More than one hundred fighters were killed there.",
        "Dit is een Nederlandse zin over de oorlog in Syrië, helaas.",
    ]
    assert sents["is_fragment"].tolist() == [False, True, False, False]
    assert sents["lang"].tolist() == ["en", "en", "en", "nl"]
    # the fragment takes the language of the sure sentences around it, with the lower confidence
    assert sents.loc[1, "lang_confidence"] == min(sents.loc[0, "lang_confidence"], sents.loc[2, "lang_confidence"])
    assert sents["n_words"].tolist() == [9, 0, 8, 11]
    assert (sents[["page_id", "source", "role", "author", "date"]].iloc[3] == ["p1", "blog", "comment", "Cheryl", "2018-02-08"]).all()
    assert lang.index.tolist() == [10, 11] and lang.tolist() == ["en", "nl"]
    for row in sents.itertuples():
        assert docs.set_index("doc_id").loc[row.doc_id, "text"][row.start : row.end] == row.text


def test_fragments_are_flagged_not_dropped(identifier):
    docs = documents(text=["?", "!!", "…", "ok", "Yes"], language=["en"] * 5)
    sents, _, _ = build_sentences(docs, Config(), identifier)
    assert sents["text"].tolist() == ["?", "!!", "…", "ok", "Yes"]
    assert sents["lang"].tolist() == ["en"] * 5  # too short to detect: the manifest's language
    assert sents["is_fragment"].tolist() == [True, True, True, True, False]


@pytest.mark.parametrize("empty", ["", "   \n\n  ", None])
def test_empty_unit_gives_one_empty_fragment_row(identifier, empty):
    docs = documents(text=[empty, "A real sentence about the war in Syria."], language=["en", None])
    sents, lang, _ = build_sentences(docs, Config(), identifier)
    row = sents[sents["doc_id"] == "d0"]
    assert len(row) == 1
    assert (row["start"].item(), row["end"].item(), row["text"].item(), row["is_fragment"].item()) == (0, 0, "", True)
    assert row["lang"].item() == "en" == lang.loc[10]
    assert len(sents) == 2


def test_build_sentences_is_deterministic(identifier):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:2]]
    docs = documents(text=texts)
    first, *_ = build_sentences(docs, Config(), identifier)
    second, *_ = build_sentences(docs, Config(), identifier)
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    assert first["sentence_id"].is_unique


def test_build_sentences_offsets_hold_on_every_seed(identifier):
    docs = documents(text=[p.read_text(encoding="utf-8") for p in SEEDS])
    sents, _, _ = build_sentences(docs, Config(), identifier)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(sents["doc_id"], sents["start"], sents["end"], sents["text"]))
    assert 500 < len(sents) < 1000
    assert sents["n_words"].dtype == "int64" and sents["is_fragment"].dtype == bool


def test_build_sentences_uses_max_chars_from_config(identifier):
    docs = documents(text=[" ".join(["lange"] * 100)])
    cfg = Config()
    cfg.segment.max_chars = 60
    sents, _, _ = build_sentences(docs, cfg, identifier)
    assert len(sents) == 10 and (sents["text"].str.len() <= 60).all()


def test_missing_text_column_is_an_error_for_people(identifier):
    with pytest.raises(InputError, match="lacks the column.*text"):
        build_sentences(pd.DataFrame({"doc_id": ["d1"]}), Config(), identifier)


def test_hand_made_mixed_post_from_data_folder(identifier):
    text = (DATA / "mixed_post.txt").read_text(encoding="utf-8")
    spans = split_sentences(text, "nl")
    assert_partition(text, spans)
    sents, lang, _ = build_sentences(documents(text=[text], language=["nl"]), Config(), identifier)
    by_text = dict(zip(sents["text"], sents["lang"]))
    assert by_text["Het Pentagon levert wapens aan terreurgroepen in Syrië, aldus o.a. Anti-Media......"] == "nl"
    assert by_text["The Department of Defense has budgeted $584 million for this Syrian operation."] == "en"

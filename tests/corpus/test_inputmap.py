"""Evidence leads back to the input: sentences' input_start/input_end index the decoded input file."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.config import load_config
from framing.segment.step import ingest
from framing.corpus.inputmap import to_input, token_map

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def seeds():
    return ingest([SEEDS], load_config())


def test_every_seed_sentence_is_found_in_its_input_file(seeds):
    docs, sents = seeds.documents, seeds.sentences
    files = {f: (SEEDS.parent / f if (SEEDS.parent / f).exists() else Path(f)) for f in docs.file.unique()}
    text_of = {f: p.read_text(encoding=enc) for f, p, enc in
               zip(docs.file, [files[f] for f in docs.file], docs.encoding)}
    merged = sents.merge(docs[["doc_id", "file"]], on="doc_id")
    assert len(merged) == len(sents) > 400
    blank = merged.text.str.strip() == ""  # empty comments are kept as fragments; they have no span
    assert merged.input_start[blank].isna().all()
    merged = merged[~blank]
    assert merged.input_start.notna().all() and merged.input_end.notna().all()
    for row in merged.itertuples():
        piece = text_of[row.file][row.input_start:row.input_end]
        # The sentence's words, in order, whitespace aside (the input keeps its indentation and line breaks).
        assert squash(piece) == squash(row.text), (row.file, row.input_start, row.text)


def test_documents_carry_their_span_in_the_input(seeds):
    docs = seeds.documents
    comments = docs[(docs.role == "comment") & (docs.text.str.strip() != "")]
    assert len(comments) > 10 and comments.input_start.notna().all()
    # Units of one page do not overlap and come in page order.
    for _, page in docs.dropna(subset=["input_start"]).sort_values("position").groupby("page_id"):
        starts, ends = page.input_start.tolist(), page.input_end.tolist()
        assert all(e <= s for e, s in zip(ends, starts[1:]))


def test_record_offsets_index_the_text_field(tmp_path):
    data = tmp_path / "c.jsonl"
    rows = [{"id": "a", "text": "  First one.   Second\n\n\n one here.  "},
            {"id": "b", "text": ["Para one.", "Para two."]}]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = ingest([data], load_config())
    s = result.sentences.merge(result.documents[["doc_id", "record_id"]], on="doc_id")
    first = s[s.record_id == "a"]
    field = rows[0]["text"]
    assert [squash(field[a:b]) for a, b in zip(first.input_start, first.input_end)] == \
        [squash(t) for t in first.text]


def _visible_words(markup: str) -> str:
    """The markup's words with tags dropped and character references decoded, whitespace aside."""
    import html
    import re

    return squash(html.unescape(re.sub(r"<[^>]*>", " ", markup)))


HOSTILE_PAGE = """<!DOCTYPE html>
<html><head><title>Base news</title><script>var s = "Troops left the base";</script>
<style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>US troops leave Syria&#8217;s east</h1>
<p>Troops left the <b>al-Tanf</b> base today &amp; went home. They were
   there for <em>years</em>, officials said.</p>
<p>&ldquo;It is over,&rdquo; one soldier told us &ndash; and the convoy moved on.</p>
<p>Critics called it a defeat for Washington&#x27;s policy in the region.</p>
</article><footer>&copy; 2019 Example News</footer></body></html>
"""


def test_html_sentences_lead_back_to_the_page(tmp_path):
    (tmp_path / "p.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    result = ingest([tmp_path], load_config())
    sents = result.sentences[result.sentences.text.str.strip() != ""]
    assert len(sents) >= 4
    assert sents.input_start.notna().all() and sents.input_end.notna().all()
    for row in sents.itertuples():
        piece = HOSTILE_PAGE[row.input_start:row.input_end]
        # The slice holds the sentence's words (tags and references between them aside), and no more.
        assert _visible_words(piece) == squash(row.text), (piece, row.text)
    docs = result.documents
    assert docs.input_start.notna().all()
    assert "<script>" not in HOSTILE_PAGE[int(docs.input_start.min()):int(docs.input_end.max())]


# -- properties ---------------------------------------------------------------

words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=8)
gaps = st.sampled_from([" ", "  ", "\n", "\n\n    ", "\t", "\n  noise line\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(words, gaps), min_size=1, max_size=30), st.data())
def test_token_map_finds_every_span_whose_words_come_from_the_source(pieces, data):
    # The source has the unit's words with other whitespace and extra lines in between.
    source = "".join(w + g for w, g in pieces)
    unit_words = [w for w, _ in pieces]
    unit = " ".join(unit_words)
    found = token_map(unit, source)
    assert found is not None
    i = data.draw(st.integers(0, len(unit_words) - 1))
    j = data.draw(st.integers(i, len(unit_words) - 1))
    start = len(" ".join(unit_words[:i])) + (1 if i else 0)
    end = len(" ".join(unit_words[: j + 1]))
    a, b = to_input(start, end, unit, *found)
    piece = source[a:b]
    # The slice starts and ends on the span's first and last word and holds its words in order.
    assert piece.startswith(unit_words[i]) and piece.endswith(unit_words[j])
    rest = piece
    for w in unit_words[i : j + 1]:
        k = rest.find(w)
        assert k >= 0
        rest = rest[k + len(w):]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_token_map_refuses_text_that_is_not_in_the_source(unit, source):
    found = token_map(unit, source)
    if found is not None:
        for u, s in zip(*found):
            token = unit[u:].split()[0]
            assert source[s : s + len(token)] == token


tags = st.sampled_from(["", "<b>", "</b>", "<p>", "</p>", "<br/>", "<span class='x'>", "</span>"])
refs = st.sampled_from(["&amp;", "&#8217;", "&eacute;", "&#x27;", "&quot;"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abcdefgXYZ", min_size=1, max_size=6), st.sampled_from([None, 0]),
                          tags, st.sampled_from([" ", "\n", "  "])), min_size=1, max_size=20), refs)
def test_visible_text_maps_every_character_back_to_its_markup(pieces, ref):
    import html

    from framing.corpus.htmlmap import visible_text

    markup = "".join((w + (ref if r is not None else "")) + gap + tag for w, r, tag, gap in pieces)
    vis = visible_text(markup)
    assert squash(vis.text) == squash(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    for i, ch in enumerate(vis.text):
        raw = markup[vis.raw_start[i]:vis.raw_end[i]]
        if ch != "\n" or raw == "\n":
            assert html.unescape(raw) == ch or (raw.startswith("&") and ch in html.unescape(raw)), (i, ch, raw)

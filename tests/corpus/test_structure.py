"""Tests of framing.corpus.structure on the real seeds and on tiny hand-made pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from framing.config import StructureConfig
from framing.corpus.model import Page, stable_id
from framing.corpus.structure import detect_style, split_page
from framing.corpus.structure.archive import parse_date_header
from framing.errors import StructureError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data" / "structure"
CFG = StructureConfig()


def page_of(path: Path, **meta) -> Page:
    text = path.read_text(encoding="utf-8")
    return Page(stable_id(path.name, text), path.name, None, text, "utf-8", meta)


def split(path: Path, **meta):
    return split_page(page_of(path, **meta), CFG)


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def by_id(units):
    return {u.doc_id: u for u in units}


_STAMP = re.compile(r"^[A-Za-z]+ \d{4}$")
_NUMBERED = re.compile(r"^\d{1,4}[.)]\s+")


def assert_no_line_lost(text: str, units) -> None:
    """Every non-blank page line is in exactly one unit, or is a marker whose
    content became an author or a date, or an archive stamp."""
    page_lines = Counter(ln.strip() for ln in text.splitlines() if ln.strip())
    unit_lines = Counter(ln.strip() for u in units for ln in u.text.splitlines() if ln.strip())
    authors = {u.author for u in units if u.author}
    extra = unit_lines - page_lines
    # The only change allowed inside a line: a comment number "5. " removed from its first line.
    numbered = [ln for ln in page_lines if _NUMBERED.match(ln)]
    for line in extra:
        assert any(_NUMBERED.sub("", p, count=1) == line for p in numbered), f"invented line {line!r}"
    stripped_numbered = {p for p in numbered if _NUMBERED.sub("", p, count=1) in extra}
    for line in page_lines - unit_lines:
        name = re.sub(r"^(\d+[.)]\s+)?(.*?)\s+says:$", r"\2", line)
        is_marker = (
            _STAMP.match(line)
            or (line.endswith("says:") and name in authors)
            or (line.startswith("•") and line[1:].strip() in authors)
            or line in authors
            or parse_date_header(line)
            or line in stripped_numbered
        )
        assert is_marker, f"lost line {line!r}"


# Verified by reading the seeds (cat -A) and counting:
# 000: grep -c "says:" -> 25 comments; top level = "says:" lines indented 2 spaces -> 5;
#      deepest "says:" line is indented 10 spaces -> depth 5; distinct names from
#      `grep says: | sed ... | sort -u` -> 12 ("<>" counted once).
# 001: grep -c "•" -> 22 comments; bullets indented 2 -> 8 top level; deepest bullets
#      indented 10 (gustavo, cechas vodobenikov, ...) -> depth 5; distinct names -> 13.
# 002: 4 Dutch day-name date headers -> 4 posts, no comments.
# 003: grep -c "says:" -> 15, plus item "  5. Now that the Tiger Force..." without "says:"
#      -> 16 comments, all indented 2 -> all top level, depth 1; distinct names -> 12.
# 004: 15 name lines (12 distinct names; the link title "U.S. Sees a Vital Iraqi Toll
#      Road, ..." is no name) + 8 paragraphs after two blank lines without a name -> 23.
SEED_COUNTS = {
    # prefix: (split_method, comments, distinct authors, top-level comments, max depth, posts)
    "000": ("says-thread", 25, 12, 5, 5, 0),
    "001": ("bullet-thread", 22, 13, 8, 5, 0),
    "002": ("date-archive", 0, 0, 0, 0, 4),
    "003": ("says-thread", 16, 12, 16, 1, 0),
    "004": ("name-lines", 23, 12, 23, 1, 0),
}


@pytest.mark.parametrize("prefix", sorted(SEED_COUNTS))
def test_seed_counts(prefix):
    method, n_comments, n_authors, n_top, max_depth, n_posts = SEED_COUNTS[prefix]
    units = split(seed(prefix))
    comments = [u for u in units if u.role == "comment"]
    articles = [u for u in units if u.role == "article"]
    assert {u.split_method for u in units} == {method}
    assert len(comments) == n_comments
    assert len({u.author for u in comments if u.author}) == n_authors
    assert sum(u.depth == 1 for u in comments) == n_top
    assert max((u.depth for u in comments), default=0) == max_depth
    assert sum(u.role == "post" for u in units) == n_posts
    assert len(articles) == (0 if n_posts else 1)
    assert [u.position for u in units] == list(range(len(units)))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*.txt")), ids=lambda p: p.name)
def test_no_line_is_lost(path):
    units = split(path)
    assert_no_line_lost(path.read_text(encoding="utf-8"), units)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*.txt")), ids=lambda p: p.name)
def test_parents_come_first_and_ids_are_content_derived(path):
    page = page_of(path)
    units = split_page(page, CFG)
    seen, k = {}, Counter()
    for u in units:
        assert u.parent_id is None or u.parent_id in seen
        if u.parent_id is not None:
            assert u.depth == seen[u.parent_id].depth + 1
        key = (u.role, u.author, u.text)
        assert u.doc_id == stable_id(page.page_id, u.role, u.author, u.text, k[key])
        k[key] += 1
        seen[u.doc_id] = u
    assert len(seen) == len(units)
    assert [u.doc_id for u in split_page(page, CFG)] == [u.doc_id for u in units]


def test_seed_000_thread_relations():
    units = split(seed("000"))
    ids = by_id(units)
    article = units[0]
    assert article.role == "article" and "MAY 2021" not in article.text
    assert article.text.startswith("U.S. Forces Withdraw From Key Base")
    assert article.title == "U.S. Forces Withdraw From Key Base Near Syrian Border. More Rocket Attacks On US Targets In Iraq"
    bmwa1 = next(u for u in units if u.author == "BMWA1")
    assert ids[bmwa1.parent_id].author == "Al Balog" and bmwa1.depth == 2
    assert bmwa1.text == "Money will run out for this nonsense."
    maria = next(u for u in units if u.author == "Maria23")
    assert maria.text == "" and ids[maria.parent_id].author == "Al Balog"
    # "1. Liberal guy says:" at depth 3 is empty, and ivan cohen replies to it.
    empty_liberal = next(u for u in units if u.author == "Liberal guy" and u.depth == 3)
    assert empty_liberal.text == ""
    reply = next(u for u in units if u.parent_id == empty_liberal.doc_id)
    assert reply.author == "ivan cohen" and reply.text.startswith("buh buh buh")
    top = [u for u in units if u.depth == 1]
    assert [u.author for u in top] == ["Al Balog", "Liberal guy", "Pave Way IV", "cechas vodobenikov", "Zionism = EVIL"]
    assert all(u.parent_id == article.doc_id for u in top)
    jimi = next(u for u in units if u.author == "JIMI JAMES")
    assert jimi.text.endswith("unlike the other whom\natleast has a go to try to help them.")


def test_seed_001_bullets_and_odd_names():
    units = split(seed("001"))
    ids = by_id(units)
    assert "Since the start of 2020" in units[0].text and "•" not in units[0].text
    doomed = next(u for u in units if u.author == "Human kind is doomed")
    assert doomed.depth == 5 and ids[doomed.parent_id].author == "Per Jensen"
    assert ids[next(u for u in units if u.author == "Assad must stay").parent_id].author == "bouncer dogsly"
    assert next(u for u in units if u.author == "Terence Silvestre Jr.").text == ""
    holm = next(u for u in units if u.author == "Jens Holm" and u.depth == 1)
    assert holm.text.count("\n\n") == 3  # four paragraphs kept apart


def test_seed_002_posts():
    units = split(seed("002"))
    assert [u.date for u in units] == ["2018-02-08", "2017-10-04", "2017-09-14", "2017-06-23"]
    assert {u.role for u in units} == {"post"} and {u.date_source for u in units} == {"stated"}
    assert units[0].title.startswith("VS coalitie valt Syrische troepen aan")
    assert units[2].title.startswith("Pentagon betrapt op vervalsen documenten")
    assert all(u.parent_id is None and u.depth == 0 for u in units)
    assert "The US Is Bombing Raqqa Into Complete Devastation" in units[1].text
    assert not any("donderdag" in u.text.split("\n")[0] for u in units)


def test_seed_003_numbered_item_without_says():
    units = split(seed("003"))
    authorless = [u for u in units if u.role == "comment" and u.author is None]
    assert len(authorless) == 1
    assert authorless[0].text.startswith("Now that the Tiger Force has secured Deir Ezzor")
    assert authorless[0].split_confidence < units[1].split_confidence
    assert sum(u.author == "turcopolier" for u in units) == 2
    assert units[0].text.rstrip().endswith("pl")
    assert units[0].title is None  # the page opens mid-quote; no title line


def test_seed_004_name_lines():
    units = split(seed("004"))
    article, comments = units[0], units[1:]
    assert "JUNE 2021" not in article.text and article.title.startswith("Russia: US Safe Zone")
    authors = {u.author for u in comments}
    assert not any(a and a.startswith("U.S. Sees") for a in authors)
    pave = [u for u in comments if u.author == "Pave Way IV"]
    assert len(pave) == 3 and "U.S. Sees a Vital Iraqi Toll Road, but Iran Sees a Threat" in pave[0].text
    assert next(u for u in comments if u.author == "Hide Behind").text.startswith("Interesting article about US military")
    assert sum(u.author is None for u in comments) == 8
    assert article.split_confidence < min(u.split_confidence for u in comments)
    assert all(u.depth == 1 and u.parent_id == article.doc_id for u in comments)


def test_dates_from_page_meta():
    units = split(seed("000"), date="2020-03-18", date_source="inferred", title="Given title")
    assert (units[0].date, units[0].date_source, units[0].title) == ("2020-03-18", "inferred", "Given title")
    assert {(u.date, u.date_source, u.title) for u in units[1:]} == {("2020-03-18", "inferred", "Given title")}
    stated = split(DATA / "says_thread.txt", date="2020-04-06")
    assert stated[0].date_source == "stated" and stated[1].date_source == "inferred"
    undated = split(DATA / "says_thread.txt")
    assert {u.date for u in undated} == {None} and {u.date_source for u in undated} == {"unknown"}


def test_hand_made_says_thread():
    units = split(DATA / "says_thread.txt")
    ids = by_id(units)
    assert detect_style((DATA / "says_thread.txt").read_text(), CFG) == ("says-thread", 0.95)
    assert units[0].text.startswith("Rockets Hit Base") and "APRIL 2020" not in units[0].text
    anna = units[1]
    assert anna.text == ("First comment, first paragraph.\n\nSecond paragraph:\n"
                         "1. a numbered point inside the body\n2. another point")
    assert [(u.author, u.depth) for u in units[2:]] == [
        ("Bob", 2), ("Empty Eve", 2), ("<>", 1), ("Carl", 2), ("Anna K", 3), (None, 1), ("Bob", 1)]
    assert units[5].text == "Deep reply,\non two lines."
    assert ids[units[6].parent_id].author == "Carl"
    assert units[7].text == "A comment whose name line was lost, numbered like its siblings.\nIt goes on here."
    # Identical comments by the same author get different ids (k counts earlier twins).
    assert units[2].text == units[8].text and units[2].doc_id != units[8].doc_id


def test_hand_made_bullet_thread():
    units = split(DATA / "bullet_thread.txt")
    assert "• Some points in a list" in units[0].text and "Closing paragraph" in units[0].text
    assert [(u.author, u.depth, u.text) for u in units[1:]] == [
        ("dogsly", 1, "first top-level comment"),
        ("Assad must stay", 2, "a reply"),
        ("Human kind is doomed", 3, "a reply to the reply"),
        ("Jens Holm", 2, "second reply to dogsly"),
        ("Terence Silvestre Jr.", 1, ""),
        ("nyomarek", 1, "Good news thank You!!"),
    ]


def test_hand_made_name_lines():
    units = split(DATA / "name_lines.txt")
    method, conf = detect_style((DATA / "name_lines.txt").read_text(), CFG)
    assert method == "name-lines" and conf == pytest.approx(0.7)
    assert units[0].text.endswith("This paragraph might be a comment whose name line was lost.")
    assert units[0].split_confidence == 0.5
    assert [(u.author, u.text.split("\n")[0]) for u in units[1:]] == [
        ("Pave Way IV", "It is all about the highway."),
        ("Graeme Rymill", "The difference is just 155 km."),
        (None, "An authorless comment after two blank lines."),
        ("Pave Way IV", "I was wrong, thanks for the correction."),
        ("Hide Behind", "Interesting article about the airlift:"),
        ("Bulgarian God", "Again stupid propaganda…"),
    ]
    assert units[1].text.endswith("\n\nU.S. Sees a Vital Iraqi Toll Road, but Iran Sees a Threat")


def test_hand_made_archive_in_three_languages():
    units = split(DATA / "archive_multilang.txt")
    assert [(u.role, u.date, u.title) for u in units] == [
        ("article", None, "My Blog Banner"),
        ("post", "2018-02-08", "First Post Title"),
        ("post", "2017-09-14", "Zweiter Beitrag"),
        ("post", "2017-06-01", "Troisième billet"),
    ]
    assert units[3].text == "Troisième billet\n\nTexte français."


def test_no_structure_is_one_article():
    path = DATA / "no_structure.txt"
    assert detect_style(path.read_text(), CFG) == ("none", 1.0)
    (unit,) = split(path)
    assert (unit.role, unit.split_method, unit.split_confidence, unit.depth) == ("article", "none", 1.0, 0)
    assert unit.text.startswith("A Plain Article With Headings\n\nIntroduction") and "MAY 2021" not in unit.text
    assert unit.title == "A Plain Article With Headings"


def test_page_role_and_split_none_keep_one_unit():
    comment = split(seed("000"), role="comment", author="Ann", parent="c9")
    assert len(comment) == 1
    assert (comment[0].role, comment[0].author, comment[0].parent_id, comment[0].split_method) == (
        "comment", "Ann", "c9", "none")
    whole = split_page(page_of(seed("000")), StructureConfig(split="none"))
    assert len(whole) == 1 and whole[0].role == "article" and "Al Balog says:" in whole[0].text
    assert detect_style(seed("000").read_text(), StructureConfig(split="none")) == ("none", 1.0)


def test_bad_role_is_an_error_naming_the_field():
    with pytest.raises(StructureError, match=r"000_.*field 'role' is 'reply'.*article, comment, post"):
        split(seed("000"), role="reply")


def test_min_comment_markers_is_respected():
    text = (DATA / "says_thread.txt").read_text()
    assert detect_style(text, StructureConfig(min_comment_markers=50))[0] != "says-thread"


@pytest.mark.parametrize("line, iso", [
    ("donderdag 8 februari 2018", "2018-02-08"),
    ("Thursday, February 8, 2018", "2018-02-08"),
    ("Thursday, 8 February 2018", "2018-02-08"),
    ("Donnerstag, 8. Februar 2018", "2018-02-08"),
    ("jeudi 8 février 2018", "2018-02-08"),
    ("Thursday, February 30, 2018", None),
    ("On Thursday 8 February 2018 we met", None),
    ("MAY 2021", None),
])
def test_date_headers(line, iso):
    assert parse_date_header(line) == iso


def test_empty_page_leaves_one_empty_article():
    (unit,) = split_page(Page("p", "empty.txt", None, "\n  \nMAY 2021\n", "utf-8"), CFG)
    assert (unit.role, unit.text, unit.split_method) == ("article", "", "none")


def test_random_pages_lose_nothing():
    import random

    rng = random.Random(0)
    pieces = ["  1. Ann says:", "    2. Bob says:", "  3. lost name comment", "  • Carl", "    • Dee",
              "Pave Way IV", "donderdag 8 februari 2018", "Thursday, May 3, 2018", "MAY 2021",
              "A sentence of text.", "    indented text", "\tA tabbed line", "", "", "Short Heading"]
    for _ in range(300):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        units = split_page(Page("p", "r.txt", None, text, "utf-8"), CFG)
        assert units, text
        assert_no_line_lost(text, units)


def test_captions_and_headings_are_not_commenters():
    # Three distinct name-like lines, a repeated "Photo" caption and a double
    # blank line, but no name comes back after another one: still one article.
    text = (DATA / "headings_not_names.txt").read_text()
    assert detect_style(text, CFG) == ("none", 1.0)
    # The heuristic's limit, stated: a caption that comes back after a heading looks like a reply.
    swapped = text.replace("Background", "Photo ", 1).replace("Photo\n\nOthers", "Background\n\nOthers")
    assert detect_style(swapped, CFG)[0] == "name-lines"

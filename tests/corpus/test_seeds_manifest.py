"""The seeds' manifest: complete, valid, and its evidence really is in the texts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from framing.config import StructureConfig
from framing.corpus.model import DATE_SOURCES, Page
from framing.corpus.structure import split_page

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
COLUMNS = ["file", "source", "title", "date", "date_source", "language", "url", "notes"]


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    with open(SEEDS / "manifest.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        out = {}
        for row in reader:
            assert row["file"] not in out, f"{row['file']} listed twice"
            out[row["file"]] = row
    return out


def seed_text(name: str) -> str:
    # The notes quote with straight quotes; the pages use typographic ones.
    text = (SEEDS / name).read_text(encoding="utf-8")
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\xa0": " "}))


def test_every_seed_listed_once(rows):
    assert set(rows) == {p.name for p in SEEDS.glob("*.txt")}


def test_values_are_valid(rows):
    for name, row in rows.items():
        assert row["date_source"] in DATE_SOURCES, name
        assert dt.date.fromisoformat(row["date"]).isoformat() == row["date"], name
        assert row["language"] in {"en", "nl"}, name
        assert row["source"].strip() and len(row["notes"]) > 200, name
        if row["title"]:
            assert row["title"] in seed_text(name), f"{name}: title not in the text"


# Quotes that the notes give as evidence; each must be in the notes and in the page.
EVIDENCE = {
    "000": ["Late on March 17, at least three rockets struck the area near the US embassy in Baghdad",
            "A day earlier, a pair of rockets struck the Besmaya base", "in the recent elections Israeli Arabs"],
    "001": ["On March 16, the Russian Foreign Ministry officially declared",
            "the March 11 rocket attack that killed three US-led coalition personnel", "Since the start of 2020"],
    "002": ["donderdag 8 februari 2018", "vrijdag 23 juni 2017", "een eerder bericht op dit blog",
            "ik nam het over van Anti-Media", "By Tyler Durden / Republished with permission / Zero Hedge"],
    "003": ["It is probably related to Saad Hariri's resignation from exile in Saudi Arabia.  pl",
            "Earlier Colonel Lang said that", "liberated the border-city of Al-Qa'im on Friday", "November 4, 2017"],
    "004": ["during the weekly briefing on February 8", "Congress of the Syrian national dialogue in Sochi",
            "US forces and their proxies are in the At Tanf area", "Barbaric Murder of 100 Syrian Soldiers"],
}


@pytest.mark.parametrize("prefix", sorted(EVIDENCE))
def test_evidence_is_quoted_from_the_page(rows, prefix):
    name = next(n for n in rows if n.startswith(prefix))
    text = " ".join(seed_text(name).split())
    for quote in EVIDENCE[prefix]:
        assert quote in rows[name]["notes"], f"{name}: notes lack {quote!r}"
        assert " ".join(quote.split()) in text, f"{name}: {quote!r} is not in the page"


def test_archive_stamps_are_not_dates(rows):
    for prefix, stamp in (("000", "MAY 2021"), ("004", "JUNE 2021")):
        name = next(n for n in rows if n.startswith(prefix))
        assert seed_text(name).startswith(stamp)
        assert not rows[name]["date"].startswith("2021")
        assert stamp in rows[name]["notes"]


def test_blog_archive_date_is_its_newest_post(rows):
    name = next(n for n in rows if n.startswith("002"))
    text = (SEEDS / name).read_text(encoding="utf-8")
    posts = split_page(Page("p", name, None, text, "utf-8", dict(rows[name])), StructureConfig())
    assert max(u.date for u in posts) == rows[name]["date"]
    assert {u.role for u in posts} == {"post"}

"""A real run for the report tests: the pipeline's own functions on a small hostile corpus.

The corpus (written to a temporary folder) has three sources and a dozen
sentences each on obvious subjects, in English and Dutch, with articles and
comments. Script and markup payloads sit in sentence text, a source name, an
author, a title, a URL and a frame label: the report must show them as text,
run none of them, and request nothing. The run uses the hashing embedder and
the PCA reducer (fast, offline, deterministic), and ``framing.jobs.analyze.analyze``
writes every table as a user's run would.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from framing.config import load_config
from framing.jobs.analyze import analyze
from framing.store import read_run_json, read_tables

HERE = Path(__file__).parent
CATALOG = HERE.parent / "data" / "frames" / "tiny-catalog.yaml"

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=2;alert(2)">'
BREAKOUT = "</script><script>window.__xss=3;alert(3)</script>"
SVG = '"><svg onload=alert(4)>'
REMOTE = '<img src="http://198.51.100.7/pixel.png"><link rel="stylesheet" href="https://198.51.100.7/x.css">'
PAYLOADS = (SCRIPT, IMG, BREAKOUT, SVG, REMOTE)
EVIL_SOURCE = f"evil {IMG} news"
EVIL_LABEL = f"The media lie {SCRIPT}"

OIL = ["The US is there for the oil and nothing else.", "American troops guard the oil fields of Syria.",
       "They came for the oil and the gas of Deir ez-Zor.", "Oil is why the US army stays in Syria."]
RETREAT = ["The US withdrawal from the base is a defeat.", "American troops withdraw after a humiliating defeat.",
           "The retreat of US forces shows their plans failed.", "The withdrawal of US troops is a clear defeat."]
MEDIA = ["The media spread lies about the war.", "The press repeats propaganda and lies every day.",
         "Western media propaganda hides the truth.", "The media lie about the attacks on the base."]
WEATHER = ["It rained all day in the city.", "The weather was cold and wet this week.",
           "Snow fell on the hills this morning.", "The sun came back after the rain."]
DUTCH = ["De VS is er alleen voor de olie.", "De Amerikanen willen de olie en het gas van Syrië.",
         "De terugtrekking van de VS is een nederlaag.", "De media verspreiden leugens over de oorlog."]


def _records() -> list[dict]:
    recs = []

    def add(rid, source, title, date, texts, role="article", author=None, parent=None, url=None):
        recs.append({"id": rid, "source": source, "title": title, "date": date, "text": " ".join(texts),
                     "role": role, "author": author, "parent": parent, "url": url})

    add("a1", "alpha news", f"Oil and troops {SVG}", "2020-03-17", OIL[:3] + WEATHER[:2] + [f"{MEDIA[0]} {SCRIPT}"],
        url="javascript:alert(5)")
    add("a2", "alpha news", "The retreat", "2020-04-02", RETREAT[:3] + WEATHER[2:] + [OIL[3]])
    add("a3", "alpha news", None, None, [f"{REMOTE} {MEDIA[1]}", RETREAT[3]], role="comment", author=f"troll {BREAKOUT}",
        parent="a1")
    add("b1", EVIL_SOURCE, "Media and war", "2020-03-18", MEDIA[1:] + OIL[:2] + [f"{RETREAT[0]} {IMG}"])
    add("b2", EVIL_SOURCE, "More on the base", "2020-05-01", RETREAT[1:3] + WEATHER[:3] + [OIL[2]])
    add("b3", EVIL_SOURCE, None, "2020-05-02", [MEDIA[3], OIL[3], f"Nice {SVG}"], role="comment", author="reader",
        parent="b2")
    add("g1", "gamma nl", "Olie en oorlog", "2020-04-05", DUTCH + [OIL[0], MEDIA[2]])
    add("g2", "gamma nl", "Het weer", "2020-06-01", WEATHER + RETREAT[:2] + [DUTCH[0]])
    return recs


FAST = ["embedding.model=hashing", "embedding.cache=false", "topics.reducer=pca", "topics.min_cluster_size=2",
        "topics.n_neighbors=5"]


def write_hostile_corpus(folder: Path) -> tuple[Path, Path]:
    """The corpus (a JSONL file) and a frame catalog whose label carries a payload."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "hostile.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records()) + "\n", encoding="utf-8")
    cat = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    cat = copy.deepcopy(cat)
    for frame in cat["frames"]:
        if frame["id"] == "media-lies":
            frame["label"] = EVIL_LABEL
            frame["description"] = f"The media spread lies {IMG}"
    catalog = folder / "hostile-catalog.yaml"
    catalog.write_text(yaml.safe_dump(cat, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return corpus, catalog


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory) -> Path:
    """The folder of a real ``analyze`` run on the hostile corpus (written once per test session)."""
    root = tmp_path_factory.mktemp("hostile")
    corpus, catalog = write_hostile_corpus(root / "corpus")
    cfg = load_config(overrides=[*FAST, "corpus.fields.text=text", "corpus.fields.id=id",
                                 "corpus.fields.role=role", "corpus.fields.author=author",
                                 "corpus.fields.parent=parent", "corpus.fields.url=url"])
    run = analyze([corpus], cfg, out=root / "run", frames=[str(catalog)])
    return run.run_dir


@pytest.fixture
def tables(hostile_run) -> dict:
    return read_tables(hostile_run)


@pytest.fixture
def meta(hostile_run) -> dict:
    return read_run_json(hostile_run)

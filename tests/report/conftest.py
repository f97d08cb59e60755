"""A tiny hand-made run for the report tests: 3 sources, 30 sentences, 3 topics + outliers, 2 frames.

One sentence, a topic label, a keyword, a frame label, the corpus name and a
skipped reason carry HTML/script payloads: the report must show them as text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"

TOPIC_TEXT = {
    0: ["Gas prices rose again this winter.", "The energy bill doubled for families.",
        "Wind farms cut the price of power.", "Heating costs hit pensioners hardest."],
    1: ["The vaccine trial reported few side effects.", "Doctors urged a second booster dose.",
        f"They hide the truth about vaccines {SCRIPT} {IMG}", "Clinics ran out of vaccine doses."],
    2: ["The election was rigged by elites.", "Voters queued for hours at polling stations.",
        f"Ballots were counted twice {BREAKOUT}", "The election commission published the results."],
    -1: ["Lol.", "Nice weather today, anyway.", "Who knows what comes next?", "First!",
         "Thanks for sharing.", "See you tomorrow."],
}
# (source, role, date): two documents per source
DOCS = [
    ("alpha_news", "article", "2024-01-10"), ("alpha_news", "comment", "2024-01-11"),
    ("beta_forum", "post", "2024-02-01"), ("beta_forum", "post", "2024-02-03"),
    ("gamma_blog", "article", "2024-02-20"), ("gamma_blog", "comment", None),
]
SOURCES = ["alpha_news", "beta_forum", "gamma_blog"]


def _sentence_plan() -> list[tuple[int, int, str]]:
    """30 (doc index, topic, text) triples, topics spread over all documents."""
    pool = [(t, s) for t in (0, 1, 2) for s in TOPIC_TEXT[t]]
    pool = [pool[i] for i in np.random.default_rng(0).permutation(len(pool))]
    pool += [(t, s) for t in (0, 1, 2) for s in TOPIC_TEXT[t][:5]][:15] + [(-1, s) for s in TOPIC_TEXT[-1]]
    pool = pool[:30]
    return [(i % len(DOCS), t, s) for i, (t, s) in enumerate(pool)]


def make_tables() -> dict[str, pd.DataFrame]:
    plan = _sentence_plan()
    doc_rows, sent_rows = [], []
    for d, (source, role, date) in enumerate(DOCS):
        mine = [(t, s) for di, t, s in plan if di == d]
        text, spans = "", []
        for t, s in mine:
            start = len(text)
            text += s
            spans.append((t, s, start, len(text)))
            text += " "
        doc_id = f"d{d}"
        doc_rows.append({"doc_id": doc_id, "page_id": f"p{d // 2}", "source": source, "title": f"Doc {d}",
                         "date": date, "role": role, "language": "en", "text": text})
        for k, (t, s, start, end) in enumerate(spans):
            sent_rows.append({"sentence_id": f"{doc_id}s{k}", "doc_id": doc_id, "page_id": f"p{d // 2}",
                              "source": source, "role": role, "date": date, "lang": "en" if d != 4 else "nl",
                              "start": start, "end": end, "text": s, "topic": t})
    documents, sentences = pd.DataFrame(doc_rows), pd.DataFrame(sent_rows)
    rng = np.random.default_rng(1)
    centers = {-1: (0.0, 0.0), 0: (5.0, 5.0), 1: (-5.0, 5.0), 2: (0.0, -5.0)}
    sentences["map_x"] = [centers[t][0] + rng.normal(0, 0.5) for t in sentences["topic"]]
    sentences["map_y"] = [centers[t][1] + rng.normal(0, 0.5) for t in sentences["topic"]]
    sentences["topic_prob"] = np.where(sentences["topic"] == -1, 0.0, 0.9)
    tables = {"documents": documents, "sentences": sentences}
    tables["topics"] = _topics(sentences)
    tables["topic_prevalence"] = _prevalence(sentences)
    tables.update(_frames(sentences))
    return tables


def _topics(sentences: pd.DataFrame) -> pd.DataFrame:
    labels = {-1: "-1_outliers", 0: "0_energy_prices", 1: f"Vaccines {IMG}", 2: "2_election_ballots"}
    keywords = {-1: ["lol"], 0: ["energy", "price", "gas"], 1: ["vaccine", SCRIPT], 2: ["election", "ballot"]}
    rows = []
    for t, part in sentences.groupby("topic"):
        rows.append({"topic": t, "label": labels[t], "keywords": keywords[t], "size": len(part),
                     "representative_ids": list(part["sentence_id"][:2]),
                     "languages": sorted(part["lang"].unique()), "sources": sorted(part["source"].unique())})
    return pd.DataFrame(rows)


def _prevalence(sentences: pd.DataFrame) -> pd.DataFrame:
    df = sentences.assign(month=sentences["date"].fillna("unknown").str[:7])
    counts = df.groupby(["topic", "source", "role", "month"]).size().rename("count").reset_index()
    totals = counts.groupby(["source", "role", "month"])["count"].transform("sum")
    return counts.assign(share=counts["count"] / totals)


def _frames(sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    rows = []
    for sid, t, text in zip(sentences["sentence_id"], sentences["topic"], sentences["text"]):
        plot = t == 2 or "hide" in text
        rows.append({"sentence_id": sid, "frame_id": "economic", "score": 0.8 if t == 0 else 0.1, "matched": t == 0})
        rows.append({"sentence_id": sid, "frame_id": "conspiracy", "score": 0.9 if plot else 0.2, "matched": plot})
    sf = pd.DataFrame(rows)
    frames = []
    for fid, label in [("economic", "Economic consequences"), ("conspiracy", f"Conspiracy {SCRIPT}")]:
        m = sf[(sf["frame_id"] == fid) & sf["matched"]]
        srcs = sentences.set_index("sentence_id").loc[m["sentence_id"], "source"]
        frames.append({"frame_id": fid, "label": label, "catalog": "test.yaml", "parent": None,
                       "sentences": len(m), "documents": srcs.index.str.split("s").str[0].nunique(),
                       "sources": sorted(srcs.unique()), "evidence_ids": list(m["sentence_id"][:3])})
    tf = pd.DataFrame([{"topic": t, "frame_id": f, "share": s, "matched_sentences": n, "expresses": s >= 0.1}
                       for t, f, s, n in [(0, "economic", 1.0, 5), (1, "conspiracy", 0.2, 1), (2, "conspiracy", 1.0, 6)]])
    return {"sentence_frames": sf, "frames": pd.DataFrame(frames), "topic_frames": tf}


def make_meta() -> dict:
    return {
        "corpus": f"tiny {SCRIPT}",
        "created": "2024-03-01T12:00:00+00:00",
        "inputs": [{"path": "seeds/alpha.txt", "sha256": "abc"}],
        "counts": {"documents": 6, "sentences": 30},
        "skipped": [{"item": "broken.pdf", "reason": f"unsupported extension {IMG}", "stage": "ingest"}],
        "embedding": {"model": "all-MiniLM-L6-v2", "reason": "99% of sentences are English",
                      "cache": {"hits": 12, "misses": 18}},
        "config": {"seed": 42, "topics": {"min_cluster_size": 3}, "note": BREAKOUT},
        "versions": {"framing": "0.1.0", "plotly": "7.1.0"},
        "seed": 42,
    }


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return make_tables()


@pytest.fixture
def meta() -> dict:
    return make_meta()


@pytest.fixture
def big_sentences() -> pd.DataFrame:
    """3,000 sentences with coordinates, for the sampling tests."""
    n, rng = 3000, np.random.default_rng(5)
    return pd.DataFrame({
        "sentence_id": [f"s{i}" for i in range(n)], "doc_id": [f"d{i // 10}" for i in range(n)],
        "source": rng.choice(SOURCES, n), "role": "post", "start": 0, "end": 10, "text": "x" * 10,
        "topic": rng.integers(-1, 4, n), "map_x": rng.normal(size=n), "map_y": rng.normal(size=n),
    })

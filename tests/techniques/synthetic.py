"""A tiny coded corpus with obvious techniques: loaded words, labels for people, doubt questions, plain news.

Every document mixes four kinds of sentence; the coded spans mark exactly the
loaded word, the label, and the whole doubt question. Offsets are computed
while the text is built, so ``text[start:end]`` is the coded span.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

LOADED = ["vicious", "monstrous", "shameful", "savage", "evil", "disgusting"]
LABELS = ["thugs", "puppets", "traitors", "crooks"]
PLACES = ["the town", "the harbour", "the valley", "the capital", "the border", "the coast"]


def coded_corpus(n_docs: int = 24) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents (doc_id, text, language) and spans (doc_id, technique, start, end) named as PTC names them."""
    docs, spans = [], []
    for i in range(n_docs):
        text, rows = "", []

        def add(sentence: str, marked: str | None = None, technique: str | None = None, whole: bool = False):
            nonlocal text
            start = len(text)
            text += sentence + " "
            if technique is not None:
                a = start if whole else start + sentence.index(marked)
                b = start + len(sentence) if whole else a + len(marked)
                rows.append((f"d{i:02d}", technique, a, b))

        for k in range(3):
            word, label, place = LOADED[(i + k) % 6], LABELS[(i + k) % 4], PLACES[(i + 2 * k) % 6]
            add(f"The {word} attack on {place} left everyone stunned.", word, "Loaded_Language")
            add(f"Those {label} in {place} decided it again.", label, "Name_Calling,Labeling")
            add(f"Can anyone really believe the report about {place}?", None, "Doubt", whole=True)
            add(f"The council of {place} met on Tuesday at noon.")
        docs.append({"doc_id": f"d{i:02d}", "text": text.strip(), "language": "en", "source": f"s{i % 3}"})
        spans += rows
    return pd.DataFrame(docs), pd.DataFrame(spans, columns=["doc_id", "technique", "start", "end"])


def write_coded(folder: Path, n_docs: int = 24) -> Path:
    """The corpus in the articles.jsonl + spans.tsv layout."""
    docs, spans = coded_corpus(n_docs)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs.itertuples():
            fh.write(json.dumps({"id": d.doc_id, "title": "", "text": d.text, "source": d.source}) + "\n")
    spans.rename(columns={"doc_id": "article_id"}).to_csv(folder / "spans.tsv", sep="\t", index=False)
    return folder

"""ARI and NMI of `framing analyze` runs of BASIL against its 100 events.

Usage::

    python benchmarks/basil_run_ari.py --make-corpus /tmp/basil_corpus/basil.jsonl ../shared/data/basil/articles.jsonl
    for s in 42 1 2 3; do
        framing analyze /tmp/basil_corpus/basil.jsonl --out /tmp/basil_s$s -q --set seed=$s
    done
    python benchmarks/basil_run_ari.py /tmp/basil_s42 /tmp/basil_s1 /tmp/basil_s2 /tmp/basil_s3 \\
        ../shared/data/basil/articles.jsonl

``--make-corpus`` writes BASIL as a user holds a news corpus: one JSON line per
article with ``id`` (BASIL's ``file_id``), ``source``, ``date``, ``title`` and
``text`` (its paragraphs separated by a blank line, the sentences of a
paragraph joined by a space); framing splits the sentences itself.

Each article gets its main topic as the report and the ``document_topics``
table give it (``is_main``: the topic its sentences weigh most for, lead and specificity;
see docs/tuning-topics.md, "A document's main topic"); an
article without a clustered sentence is its own singleton. That is compared
with its event (``triplet_uuid``). Also prints how many topics hold sentences
from all three outlets, and with several runs (seeds) the mean, min and max.
"""

import json
import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def make_corpus(out: str, articles: str) -> None:
    """Write BASIL's articles as a user-shaped JSONL corpus (see the module docstring)."""
    rows = []
    with open(articles, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            paragraphs = [" ".join(s.strip() for s in p if s and s.strip()) for p in rec["paragraphs"]]
            rows.append({"id": str(rec["file_id"]), "source": rec["source"], "date": rec.get("date"),
                         "title": rec.get("title"), "text": "\n\n".join(p for p in paragraphs if p)})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} articles to {out}")


def score(run_dir: str, events: dict) -> dict:
    """ARI and NMI of one run's document main topics against the events."""
    docs = pd.read_parquet(f"{run_dir}/tables/documents.parquet")
    sents = pd.read_parquet(f"{run_dir}/tables/sentences.parquet")
    doc_topics = pd.read_parquet(f"{run_dir}/tables/document_topics.parquet")
    main = doc_topics[doc_topics.is_main].set_index("doc_id").topic
    docs = docs.assign(event=docs.record_id.astype(str).map(events),
                       topic=[str(main[d]) if d in main.index else f"single-{d}" for d in docs.doc_id])
    clustered = sents[sents.topic >= 0]
    outlets = clustered.groupby("topic").source.nunique()
    row = {"run": run_dir, "ari": adjusted_rand_score(docs.event, docs.topic),
           "nmi": normalized_mutual_info_score(docs.event, docs.topic)}
    print(f"{run_dir}: articles {len(docs)}, events {docs.event.nunique()}, sentences {len(sents)}, "
          f"clustered {len(clustered)}, topics {clustered.topic.nunique()}")
    print(f"  ARI (article main topic vs event) {row['ari']:.3f}   NMI {row['nmi']:.3f}   "
          f"topics with sentences from all three outlets: {(outlets == 3).sum()} of {len(outlets)}")
    return row


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "--make-corpus":
        make_corpus(argv[1], argv[2])
        return
    if len(argv) < 2:
        sys.exit(__doc__)
    *runs, articles = argv
    events = {}
    with open(articles, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            events[str(rec["file_id"])] = rec["triplet_uuid"]
    rows = [score(run, events) for run in runs]
    if len(rows) > 1:
        aris = [r["ari"] for r in rows]
        print(f"mean over {len(rows)} runs: ARI {sum(aris) / len(aris):.3f} (min {min(aris):.3f}, max {max(aris):.3f})"
              f"   NMI {sum(r['nmi'] for r in rows) / len(rows):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])

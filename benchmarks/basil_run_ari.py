"""ARI and NMI of a `framing analyze` run of BASIL against its 100 events.

Usage::

    framing analyze ../shared/data/basil/articles.jsonl --text-field paragraphs --id-field file_id
    python benchmarks/basil_run_ari.py reports/basil-articles ../shared/data/basil/articles.jsonl

Each article gets the majority topic of its clustered sentences (an article
whose sentences are all outliers is its own singleton), compared with its
event (``triplet_uuid``). Also prints how many topics hold sentences from all
three outlets: the same event told by nyt, fox and hpo landing in one topic.
"""

import json
import sys

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def main(run_dir: str, articles: str) -> None:
    events = {}
    with open(articles, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            events[str(rec["file_id"])] = rec["triplet_uuid"]
    docs = pd.read_parquet(f"{run_dir}/tables/documents.parquet")
    sents = pd.read_parquet(f"{run_dir}/tables/sentences.parquet")
    clustered = sents[sents.topic >= 0]
    majority = clustered.groupby("doc_id").topic.agg(lambda t: t.value_counts().idxmax())
    docs = docs.assign(event=docs.record_id.map(events),
                       topic=[majority.get(d, f"single-{d}") for d in docs.doc_id])
    docs["topic"] = docs.topic.astype(str)
    ari = adjusted_rand_score(docs.event, docs.topic)
    nmi = normalized_mutual_info_score(docs.event, docs.topic)
    outlets = clustered.groupby("topic").source.nunique()
    print(f"articles {len(docs)}, events {docs.event.nunique()}, sentences {len(sents)}, "
          f"clustered {len(clustered)}, topics {sents.topic[sents.topic >= 0].nunique()}")
    print(f"ARI (article majority topic vs event) {ari:.3f}   NMI {nmi:.3f}")
    print(f"topics with sentences from all three outlets: {(outlets == 3).sum()} of {len(outlets)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

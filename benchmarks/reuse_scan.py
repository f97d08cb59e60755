"""Reprinted passages and documents in a corpus: how long the scan takes and what it finds.

Usage::

    head -300 ../shared/data/allsides/articles.jsonl > /tmp/allsides300.jsonl
    python benchmarks/reuse_scan.py /tmp/allsides300.jsonl --set corpus.fields.text=content_original \\
        --set corpus.fields.id=ID --set corpus.fields.source=source --set corpus.fields.date=date \\
        --set corpus.fields.title=title

Reads the corpus as ``framing analyze`` does, then runs :func:`framing.compare.reuse.find_reuse` with the
config's ``compare.reuse_min_words`` and ``compare.reuse_threshold``, and prints the time, the counts, the
source pairs (``reuse_sources``) and every group of reprinted passages, largest first.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from framing.compare.reuse import find_reuse, reuse_sources
from framing.config import load_config
from framing.segment.step import ingest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    args = ap.parse_args()
    cfg = load_config(overrides=args.overrides)
    t0 = time.perf_counter()
    result = ingest(args.paths, cfg)
    t1 = time.perf_counter()
    reuse = find_reuse(result.documents, result.sentences, cfg.compare.reuse_min_words, cfg.compare.reuse_threshold)
    t2 = time.perf_counter()
    print(f"{len(result.documents)} documents, {len(result.sentences)} sentences; read in {t1 - t0:.1f} s, "
          f"reuse scan in {t2 - t1:.1f} s")
    copies = reuse[~reuse.is_first]
    print(f"groups: {reuse.reuse_id.nunique()} ({reuse[reuse.n_sources > 1].reuse_id.nunique()} across sources); "
          f"copied sentences: {copies[copies.kind == 'passage'].sentence_id.nunique()}, "
          f"copied documents: {copies[copies.kind == 'document'].doc_id.nunique()}")
    print(reuse_sources(reuse).to_string(index=False))
    groups = reuse.groupby("reuse_id").agg(kind=("kind", "first"), documents=("n_documents", "first"),
                                           sources=("n_sources", "first"), first=("first_source", "first"),
                                           text=("text", "first"))
    with pd.option_context("display.max_colwidth", 100, "display.width", 220):
        print(groups.sort_values(["sources", "documents"], ascending=False).to_string())


if __name__ == "__main__":
    main()

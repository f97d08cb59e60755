"""Precision of a seeds run's frame matches and evidence, from the judgments read by eye in docs/seeds-frame-reading.csv.

Usage::

    framing analyze seeds/ --out reports/seeds
    python benchmarks/seeds_reading.py reports/seeds

Joins the run's matched sentences (and its document decisions' evidence sentences, and the report's first
two quotes per frame) to the judgments on (frame_id, sentence_id) and prints how many are right. Pairs that
were never read are counted as unjudged: read them and add them to the csv (promotes 1 or 0).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

READING = Path(__file__).resolve().parent.parent / "docs" / "seeds-frame-reading.csv"


def _share(rows: pd.DataFrame) -> str:
    judged = int(rows.promotes.notna().sum())
    right = int(rows.promotes.sum())
    return f"{right} of {judged} judged right ({right / judged:.2f}), {len(rows) - judged} not read" if judged else "none read"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path)
    args = ap.parse_args()
    tables = args.run / "tables"
    reading = (pd.read_csv(READING)[["frame_id", "sentence_id", "promotes"]]
               .drop_duplicates(["frame_id", "sentence_id"]))
    sf = pd.read_parquet(tables / "sentence_frames.parquet")
    matches = sf[sf.matched][["frame_id", "sentence_id"]].merge(reading, how="left")
    print(f"sentence matches: {len(matches)}; {_share(matches)}")
    per = matches.groupby("frame_id").agg(matches=("sentence_id", "size"), right=("promotes", "sum"),
                                          judged=("promotes", lambda x: int(x.notna().sum())))
    per["precision"] = (per.right / per.judged).round(2)
    print(per.sort_values("precision", ascending=False).to_string())
    df = pd.read_parquet(tables / "document_frames.parquet")
    ev = (df[df.matched][["frame_id", "evidence_id"]].rename(columns={"evidence_id": "sentence_id"})
          .merge(reading, how="left"))
    print(f"document decisions: {len(ev)}; their first evidence sentence shows the frame: {_share(ev)}")
    frames = pd.read_parquet(tables / "frames.parquet")
    quotes = (frames[["frame_id", "evidence_ids"]].explode("evidence_ids").groupby("frame_id").head(2)
              .rename(columns={"evidence_ids": "sentence_id"}).dropna().merge(reading, how="left"))
    print(f"the report's first two quotes per frame: {_share(quotes)}")


if __name__ == "__main__":
    main()

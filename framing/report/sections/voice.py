"""The "Who is speaking" section: frames by voice, read from ``compare_voice``.

For every frame: its matched sentences in the writer's own words, in
quotes and in reported speech, the speakers quoted most, and a mark when the
frame's evidence is only quotes and reported speech (the frame of the
sources, not of the outlet). Numbers are the corpus rows of
``compare_voice`` (one grouping's copy: ``source`` when present); the table
below them lists every group. Values are plain strings and numbers: the
template escapes them.

Examples
--------
>>> view = voice_view(tables)            # doctest: +SKIP
>>> view["frames"][0]["quotes_only"]     # doctest: +SKIP
False
"""

from __future__ import annotations

import pandas as pd

from ...voice import VOICES
from ..common import is_missing, text
from ..context import ReportContext
from ..tables import data_table
from .base import Section

TABLE = "compare_voice"
GROUP_COLUMNS = ["group", "label", "voice", "sentences", "frame_sentences", "share_of_frame_sentences",
                 "voice_sentences", "share_of_voice_sentences", "documents", "top_speakers", "quotes_only"]


def _grouping(df: pd.DataFrame) -> str | None:
    names = [text(b) for b in df["by"].dropna().unique()]
    return "source" if "source" in names else (sorted(names)[0] if names else None)


def voice_view(ctx: ReportContext) -> dict | None:
    """Frames by voice for the report; None when the run has no ``compare_voice`` rows.

    Returns
    -------
    dict or None
        ``by`` (the grouping shown), ``frames`` (one dict per frame: id, label, counts per voice,
        total, own share, speakers, quotes_only), ``sentences`` (the corpus's sentences per voice,
        from ``corpus_counts``, by voice) and ``groups`` (the group rows as a page table).
    """
    df = ctx.tables.get(TABLE)
    need = {"by", "level", "item", "voice", "sentences", "frame_sentences", "quotes_only"}
    if df is None or df.empty or not need <= set(df.columns):
        return None
    by = _grouping(df)
    df = df[df["by"].astype(str) == by]
    corpus = df[df["level"].astype(str) == "corpus"]
    frames = []
    for item, part in corpus.groupby(corpus["item"].astype(str), sort=False):
        counts = {text(r["voice"]): int(r["sentences"]) for r in part.to_dict("records")}
        speakers = {text(r["voice"]): text(r.get("top_speakers")) for r in part.to_dict("records")
                    if not is_missing(r.get("top_speakers")) and text(r.get("top_speakers"))}
        total = int(part["frame_sentences"].iloc[0])
        frames.append({"id": item, "label": text(part["label"].iloc[0]) if "label" in part.columns else item,
                       "counts": [(v, counts.get(v, 0)) for v in VOICES], "total": total,
                       "own_share": counts.get("own", 0) / total if total else None,
                       "speakers": speakers, "quotes_only": bool(part["quotes_only"].iloc[0])})
    groups = df[df["level"].astype(str) == "group"]
    groups = groups[[c for c in GROUP_COLUMNS if c in groups.columns]]
    per_voice = []
    if ctx.tables.get("sentences") is not None and "voice" in ctx.tables["sentences"].columns:
        n = {text(r["group"]): (int(r["sentences"]), float(r["share_of_all_sentences"]))
             for r in ctx.counts_by("voice").to_dict("records")}
        per_voice = [(v, *n.get(v, (0, 0.0))) for v in VOICES]
    return {"by": by, "table": TABLE, "frames": frames, "sentences": per_voice,
            "groups": data_table(groups) if len(groups) else None}


def add_voice_facts(frames: list[dict], view: dict | None) -> list[dict]:
    """Add "Who speaks" (and "Quotes only") to each frame's facts in the evidence section."""
    if not view:
        return frames
    by_id = {f["id"]: f for f in view["frames"]}
    for frame in frames:
        v = by_id.get(frame.get("id"))
        if v is None or not v["total"]:
            continue
        counts = " · ".join(f"{voice} {n:,}" for voice, n in v["counts"])
        frame["facts"].append(("Who speaks", f"{counts} of {v['total']:,} matched sentences ({TABLE})"))
        if v["quotes_only"]:
            frame["facts"].append(("Quotes only", "yes: every matched sentence is a quote or reported speech, "
                                                  "the frame of the sources rather than of the writers"))
    return frames


SECTION = Section("voice", "sections/voice.html.j2", lambda ctx: ctx.memo(voice_view), label="Who speaks",
                  shown=bool)

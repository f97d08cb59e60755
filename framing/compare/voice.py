"""``compare_voice``: frames counted by who is speaking (the outlet's own words, quotes, reported speech).

Framing research sets a journalist's frames against the frames of the
sources the journalist quotes. For each grouping (``by``), group and frame,
the table counts the frame's matched sentences in each voice of
``sentences.voice`` (:mod:`framing.voice`), with two denominators named in
the columns:

- ``share_of_frame_sentences``: ``sentences`` / ``frame_sentences`` (the
  frame's matched sentences in the group, every voice): how much of the
  frame is said in this voice. The three voices of a group and frame sum to 1.
- ``share_of_voice_sentences``: ``sentences`` / ``voice_sentences`` (the
  group's scored sentences in this voice): how much of what the group says
  in this voice carries the frame.

``quotes_only`` is true when the frame matched sentences in the group (or
the corpus) but none of them in the writer's own voice: its evidence is
only quotes and reported speech, the frame of the sources rather than of
the outlet. Rows with ``level = "corpus"`` (``group`` null) count the whole
corpus; ``top_speakers`` lists the most frequent named speakers of the
voice's matched sentences, ``"Name (n); ..."``.

Examples
--------
>>> s = pd.DataFrame({"sentence_id": ["s1", "s2", "s3"], "doc_id": ["d1", "d1", "d2"],
...                   "voice": ["own", "quote", "quote"], "speaker": [None, "Lavrov", "Lavrov"]})
>>> sf = pd.DataFrame({"sentence_id": ["s1", "s2", "s3"], "frame_id": ["oil"] * 3, "matched": [False, True, True]})
>>> t = voice_table(s, sf, pd.Series({"d1": "a", "d2": "b"}), "source")
>>> t[t.level == "corpus"][["voice", "sentences", "frame_sentences", "top_speakers", "quotes_only"]].values.tolist()
[['own', 0, 2, '', True], ['quote', 2, 2, 'Lavrov (2)', True], ['reported', 0, 2, '', True]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..voice import OWN, VOICES

VOICE_COLUMNS = [
    "by", "level", "group", "kind", "item", "label", "voice", "sentences", "frame_sentences", "share_of_frame_sentences",
    "voice_sentences", "share_of_voice_sentences", "documents", "top_speakers", "quotes_only",
]  # fmt: skip
"""The columns of ``compare_voice``; one row per (by, level, group, item, voice)."""
TOP_SPEAKERS = 5


def empty_voice() -> pd.DataFrame:
    """An empty ``compare_voice`` table (a run without frames)."""
    return pd.DataFrame(columns=VOICE_COLUMNS)


def _speakers(names: pd.Series) -> str:
    counts = names.dropna().astype(str)
    counts = counts[counts != ""].value_counts()
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SPEAKERS]
    return "; ".join(f"{name} ({n})" for name, n in top)


def _rows(scored: pd.DataFrame, hits: pd.DataFrame, items: list[str], labels: dict, by: str, level: str,
          group: str | None) -> list[dict]:
    voice_totals = scored["voice"].value_counts()
    out = []
    by_item = dict(tuple(hits.groupby("frame_id", sort=False))) if len(hits) else {}
    for item in items:
        mine = by_item.get(item, hits.iloc[0:0])
        per_voice = dict(tuple(mine.groupby("voice", sort=False))) if len(mine) else {}
        total = len(mine)
        quotes_only = bool(total > 0 and OWN not in per_voice)
        for voice in VOICES:
            part = per_voice.get(voice, mine.iloc[0:0])
            n, base = len(part), int(voice_totals.get(voice, 0))
            out.append({
                "by": by, "level": level, "group": group, "kind": "frame", "item": item, "label": labels.get(item, item),
                "voice": voice, "sentences": n, "frame_sentences": total,
                "share_of_frame_sentences": n / total if total else np.nan,
                "voice_sentences": base, "share_of_voice_sentences": n / base if base else np.nan,
                "documents": int(part["doc_id"].nunique()), "top_speakers": "" if voice == OWN else _speakers(part["speaker"]),
                "quotes_only": quotes_only,
            })
    return out


def voice_table(sentences: pd.DataFrame, sentence_frames: pd.DataFrame, groups: pd.Series, by: str,
                frames: pd.DataFrame | None = None) -> pd.DataFrame:
    """Frames by voice per group, and over the corpus.

    Parameters
    ----------
    sentences : DataFrame
        sentence_id, doc_id, voice and speaker (``framing.voice.voice_columns`` adds the last two to an old run's table).
    sentence_frames : DataFrame
        sentence_id, frame_id, matched: every scored sentence and its decision.
    groups : Series of str indexed by doc_id
        The group of each document (:func:`framing.compare.groups.document_groups`).
    by : str
        The grouping's name, written in the ``by`` column.
    frames : DataFrame, optional
        frame_id, label: every catalog frame gets rows, also one that matched nothing.

    Returns
    -------
    DataFrame with :data:`VOICE_COLUMNS`, sorted by level (group rows first), group, item and voice.
    """
    missing = [c for c in ("sentence_id", "doc_id", "voice", "speaker") if c not in sentences.columns]
    missing += [f"sentence_frames.{c}" for c in ("sentence_id", "frame_id", "matched") if c not in sentence_frames.columns]
    if missing:
        raise InputError(f"compare_voice needs the column(s) {', '.join(missing)}; give the tables `framing analyze` wrote.")
    if frames is not None and len(frames):
        items = [str(f) for f in frames["frame_id"]]
        labels = dict(zip(items, frames["label"].astype(str) if "label" in frames.columns else items))
    else:
        items = sorted(sentence_frames["frame_id"].astype(str).unique())
        labels = {i: i for i in items}
    info = sentences[["sentence_id", "doc_id", "voice", "speaker"]].assign(
        doc_id=sentences["doc_id"].astype(str), sentence_id=sentences["sentence_id"].astype(str))
    info = info.assign(group=info["doc_id"].map(groups))
    scored_ids = sentence_frames["sentence_id"].astype(str).unique()
    scored = info[info["sentence_id"].isin(scored_ids)]
    sf = sentence_frames[sentence_frames["matched"].astype(bool)]
    hits = sf.assign(sentence_id=sf["sentence_id"].astype(str), frame_id=sf["frame_id"].astype(str))[
        ["sentence_id", "frame_id"]].drop_duplicates().merge(scored, on="sentence_id", how="inner")
    rows = []
    for group in sorted(scored["group"].dropna().astype(str).unique()):
        rows += _rows(scored[scored["group"] == group], hits[hits["group"] == group], items, labels, by, "group", group)
    rows += _rows(scored, hits, items, labels, by, "corpus", None)
    if not rows:
        return empty_voice()
    out = pd.DataFrame(rows, columns=VOICE_COLUMNS)
    return out.astype({"sentences": "int64", "frame_sentences": "int64", "voice_sentences": "int64",
                       "documents": "int64", "quotes_only": bool})

"""Candidate frames: recurring topics that no catalog frame covers.

A topic that recurs across two or more sources (or languages) but expresses
no catalog frame may be a narrative the catalog misses. It is listed with
its keywords and evidence, and :func:`suggest_yaml` writes a catalog stub
whose examples are drawn from that evidence, for an analyst to name, edit
and add to a catalog.

Examples
--------
>>> print(suggest_from_run("reports/seeds"))   # doctest: +SKIP
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from ..errors import RunStoreError
from ..runfolder.layout import table_file, table_path

CANDIDATE_COLUMNS = ["topic", "label", "keywords", "size", "sources", "languages", "evidence_ids"]
N_EXAMPLES = 6


def _as_list(value) -> list:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(v) for v in list(value)]


def _spread_evidence(members: pd.DataFrame, representative: list[str], n: int) -> list[str]:
    """Representative sentences first, then one sentence per source/language not yet shown."""
    chosen = [sid for sid in representative if sid in set(members["sentence_id"])]
    shown = members[members["sentence_id"].isin(chosen)]
    seen = set(zip(shown["source"], shown.get("lang", pd.Series("", index=shown.index))))
    for _, row in members.sort_values("sentence_id").iterrows():
        key = (row["source"], row.get("lang", ""))
        if key not in seen and row["sentence_id"] not in chosen:
            chosen.append(row["sentence_id"])
            seen.add(key)
    return chosen[:n]


def find_candidates(topics: pd.DataFrame, sentences: pd.DataFrame, topic_frames: pd.DataFrame,
                    min_sources: int = 2) -> pd.DataFrame:
    """Topics spread over ``min_sources`` sources (or languages) that express no frame.

    Parameters
    ----------
    topics : DataFrame
        topic, label, keywords, size, representative_ids.
    sentences : DataFrame
        sentence_id, source, topic (and lang).
    topic_frames : DataFrame
        topic, frame_id, expresses.
    min_sources : int

    Returns
    -------
    DataFrame with columns topic, label, keywords, size, sources, languages,
    evidence_ids; largest topics first.
    """
    expressed = set()
    if topic_frames is not None and len(topic_frames):
        expressed = set(topic_frames.loc[topic_frames["expresses"].astype(bool), "topic"].astype(int))
    rows = []
    for _, t in topics.iterrows():
        topic = int(t["topic"])
        if topic < 0 or topic in expressed:
            continue
        members = sentences[sentences["topic"] == topic]
        sources = sorted(members["source"].dropna().astype(str).unique())
        langs = sorted(members["lang"].dropna().astype(str).unique()) if "lang" in members else []
        if len(sources) < min_sources and len(langs) < 2:
            continue
        rows.append({"topic": topic, "label": str(t.get("label", topic)), "keywords": _as_list(t.get("keywords")),
                     "size": int(t.get("size", len(members))), "sources": sources, "languages": langs,
                     "evidence_ids": _spread_evidence(members, _as_list(t.get("representative_ids")), N_EXAMPLES)})
    frame = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    return frame.sort_values(["size", "topic"], ascending=[False, True]).reset_index(drop=True)


def _slug(words: list[str], topic: int) -> str:
    parts = [re.sub(r"[^a-z0-9]+", "-", w.lower()).strip("-") for w in words[:3]]
    slug = "-".join(p for p in parts if p)
    return f"candidate-{topic}-{slug}" if slug else f"candidate-{topic}"


def suggest_yaml(candidates: pd.DataFrame, sentences: pd.DataFrame) -> str:
    """A catalog stub (YAML text) with one frame per candidate topic.

    Examples are the evidence sentences, grouped by language; label and
    description are marked for the analyst to write.
    """
    texts = sentences.set_index("sentence_id")
    frames = []
    for _, c in candidates.iterrows():
        examples: dict[str, list[str]] = {}
        for sid in c["evidence_ids"]:
            if sid not in texts.index:
                continue
            row = texts.loc[sid]
            lang = str(row.get("lang") or "und")
            examples.setdefault(lang, []).append(" ".join(str(row["text"]).split()))
        keywords = _as_list(c["keywords"])
        frames.append({
            "id": _slug(keywords, int(c["topic"])),
            "label": f"TODO name this frame (topic {int(c['topic'])}: {', '.join(keywords[:4])})",
            "description": (f"TODO say what this frame asserts. Recurs in {len(c['sources'])} sources "
                            f"({', '.join(c['sources'])}); {int(c['size'])} sentences."),
            "keywords": keywords,
            "examples": examples,
        })
    doc = {"catalog": "candidates", "description": "Candidate frames suggested from recurring topics; "
           "edit the labels, descriptions and examples, then move them into a catalog.", "frames": frames}
    header = ("# Candidate frames written by `framing frames suggest`.\n"
              "# Each comes from a topic that recurs across sources but matches no catalog frame.\n"
              "# Rename the ids, write label and description, keep only examples that assert the frame,\n"
              "# add examples in every language of your catalog, then validate with `framing frames validate`.\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _read_table(run_dir: Path, name: str) -> pd.DataFrame:
    path = table_path(run_dir, name)
    if not path.exists():
        raise RunStoreError(f"Run folder {run_dir} has no {table_file(name)}; run `framing analyze` "
                            f"with topics and --frames first.")
    return pd.read_parquet(path)


def suggest_from_run(run_dir: str | Path, min_sources: int = 2) -> str:
    """The YAML stub of candidate frames of a run folder (reads its topics, sentences, topic_frames)."""
    run_dir = Path(run_dir)
    topics, sentences = _read_table(run_dir, "topics"), _read_table(run_dir, "sentences")
    topic_frames = _read_table(run_dir, "topic_frames")
    candidates = find_candidates(topics, sentences, topic_frames, min_sources)
    return suggest_yaml(candidates, sentences)

"""HTML sections of the report built from the tables and run.json.

Each function returns an HTML fragment in which every piece of corpus text and
metadata has passed through :func:`esc`. Every sentence shown carries the ids
(source, doc_id, sentence_id, start-end) that find it again in the run's tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from .figures import OUTLIER, as_list, esc, get_table, topic_colors, topic_ids, topic_names

MAX_KEYWORDS = 10
MAX_EVIDENCE = 10


def _dl(items: list[tuple[str, str]]) -> str:
    """A definition list; values are HTML already escaped by the caller."""
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items)
    return f'<dl class="facts">{rows}</dl>'


def _counts(series: pd.Series) -> str:
    vc = series.astype(str).value_counts()
    return ", ".join(f"{esc(k)}: {v:,}" for k, v in vc.items()) or "none"


def header(tables: Mapping[str, pd.DataFrame], meta: Mapping, title: str) -> str:
    """Title, corpus, date, counts, embedding model and cache use."""
    docs, sents = tables.get("documents"), get_table(tables, "sentences")
    topics = get_table(tables, "topics")
    counts = meta.get("counts") or {}
    items: list[tuple[str, str]] = [("Corpus", esc(meta.get("corpus"))), ("Created", esc(meta.get("created")))]
    if docs is not None and "role" in docs.columns:
        items.append(("Documents", f"{len(docs):,} ({_counts(docs['role'])})"))
    elif "documents" in counts:
        items.append(("Documents", esc(counts["documents"])))
    if sents is not None:
        ids = topic_ids(sents)
        items.append(("Sentences", f"{len(sents):,}"))
        items.append(("Sources", f"{sents['source'].nunique():,}"))
        if "lang" in sents.columns:
            items.append(("Languages", _counts(sents["lang"])))
        share = float((ids == OUTLIER).mean()) if len(ids) else 0.0
        items.append(("Outlier share", f"{share:.1%} of sentences not in a topic"))
    if topics is not None:
        items.append(("Topics", f"{int((topics['topic'].astype(int) != OUTLIER).sum()):,}"))
    items += _embedding_items(meta.get("embedding") or {})
    return (
        f'<header><h1>{esc(title)}</h1>{_dl(items)}'
        '<p class="note">Every sentence below is identified by source, doc_id, sentence_id and '
        "character offsets start&ndash;end into its document&rsquo;s text, so it can be found again "
        "in the run&rsquo;s tables (tables/sentences.parquet, tables/documents.parquet).</p></header>"
    )


def _embedding_items(emb: Mapping) -> list[tuple[str, str]]:
    if not emb:
        return []
    items = [("Embedding model", esc(emb.get("model")))]
    if emb.get("reason"):
        items.append(("Why this model", esc(emb.get("reason"))))
    cache = emb.get("cache") or {}
    if cache:
        items.append(("Embedding cache", f"{esc(cache.get('hits', 0))} hits, {esc(cache.get('misses', 0))} misses"))
    return items


def _lookup(sentences: pd.DataFrame | None) -> pd.DataFrame | None:
    return sentences.set_index("sentence_id") if sentences is not None else None


def _sentence_refs(ids: list, lookup: pd.DataFrame | None, scores: Mapping | None = None) -> str:
    """An ordered list of sentences (``lookup`` indexed by sentence_id) with the ids that find them."""
    if not ids:
        return '<span class="note">none</span>'
    rows = []
    for sid in ids:
        score = f" · score {scores[sid]:.3f}" if scores and sid in scores else ""
        if lookup is None or sid not in lookup.index:
            rows.append(f'<li><span class="ref">sentence_id {esc(sid)}{score}</span> (not in the sentences table)</li>')
            continue
        r = lookup.loc[sid]
        r = r.iloc[0] if isinstance(r, pd.DataFrame) else r
        ref = (
            f"{esc(r['source'])} · {esc(r['role'])} · doc_id {esc(r['doc_id'])} · "
            f"sentence_id {esc(sid)} · {esc(r['start'])}&ndash;{esc(r['end'])}{score}"
        )
        rows.append(f'<li><q>{esc(r["text"])}</q><br><span class="ref">{ref}</span></li>')
    return f'<ol class="evidence">{"".join(rows)}</ol>'


def topic_table(tables: Mapping[str, pd.DataFrame]) -> str:
    """One row per topic: label, keywords, size, sources, languages, representative sentences."""
    topics, sents = get_table(tables, "topics"), get_table(tables, "sentences")
    if topics is None:
        return ""
    tf = tables.get("topic_frames")
    frames = get_table(tables, "frames")
    flabels = dict(zip(frames["frame_id"], frames["label"])) if frames is not None else {}
    df = topics.assign(topic=topics["topic"].astype(int))
    df = df[df["topic"] != OUTLIER].sort_values(["size", "topic"], ascending=[False, True])
    names, colors = topic_names(topics), topic_colors(set(df["topic"]) | (set(topic_ids(sents)) if sents is not None else set()))
    rows, lookup = [], _lookup(sents)
    for r in df.itertuples(index=False):
        row = r._asdict()
        kw = ", ".join(esc(k) for k in as_list(row.get("keywords"))[:MAX_KEYWORDS])
        srcs = ", ".join(esc(s) for s in as_list(row.get("sources")))
        langs = ", ".join(esc(s) for s in as_list(row.get("languages")))
        expressed = ""
        if tf is not None and {"topic", "frame_id", "expresses"} <= set(tf.columns):
            fids = tf[(tf["topic"].astype(int) == r.topic) & tf["expresses"].astype(bool)]["frame_id"]
            if len(fids):
                expressed = "<br><b>Frames:</b> " + ", ".join(esc(flabels.get(f, f)) for f in fids)
        swatch = f'<span class="swatch" style="background:{colors.get(r.topic)}"></span>'
        rows.append(
            f'<tr id="topic-{r.topic}"><td>{esc(r.topic)}</td><td>{swatch}{esc(names[r.topic])}</td>'
            f"<td>{kw}</td><td class='num'>{int(r.size):,}</td><td>{srcs}{'<br>' + langs if langs else ''}"
            f"{expressed}</td><td>{_sentence_refs(as_list(row.get('representative_ids')), lookup)}</td></tr>"
        )
    head = "<tr><th>Topic</th><th>Label</th><th>Keywords</th><th>Size</th><th>Sources / languages</th><th>Representative sentences</th></tr>"
    return f'<table class="topics"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def frame_evidence(tables: Mapping[str, pd.DataFrame]) -> str:
    """Per frame: counts, the topics expressing it, and its top evidence sentences with scores."""
    frames, sf = get_table(tables, "frames"), get_table(tables, "sentence_frames")
    if frames is None or sf is None:
        return ""
    sents, tf = get_table(tables, "sentences"), tables.get("topic_frames")
    names = topic_names(get_table(tables, "topics"))
    blocks, lookup = [], _lookup(sents)
    for r in frames.to_dict("records"):
        fid = r["frame_id"]
        mine = sf[sf["frame_id"] == fid]
        scores = dict(zip(mine["sentence_id"], mine["score"].astype(float)))
        ids = as_list(r.get("evidence_ids"))
        if not ids:
            top = mine[mine["matched"].astype(bool)].sort_values("score", ascending=False)
            ids = list(top["sentence_id"])
        facts = [("Frame id", esc(fid)), ("Catalog", esc(r.get("catalog"))), ("Parent", esc(r.get("parent")))]
        facts += [(k.capitalize(), esc(r.get(k))) for k in ("sentences", "documents") if k in r]
        if "sources" in r:
            facts.append(("Sources", ", ".join(esc(s) for s in as_list(r["sources"]))))
        if tf is not None and {"topic", "frame_id", "expresses"} <= set(tf.columns):
            t = tf[(tf["frame_id"] == fid) & tf["expresses"].astype(bool)]["topic"].astype(int)
            facts.append(("Expressed by topics", ", ".join(esc(names.get(x, x)) for x in t) or "none"))
        blocks.append(
            f'<div class="frame" id="frame-{esc(fid)}"><h3>{esc(r.get("label"))}</h3>{_dl(facts)}'
            f"<h4>Top evidence</h4>{_sentence_refs(ids[:MAX_EVIDENCE], lookup, scores)}</div>"
        )
    return "".join(blocks)


def skipped(meta: Mapping) -> str:
    """The inputs the run skipped, with the reason and the stage."""
    items = meta.get("skipped") or []
    if not items:
        return '<p class="note">No input was skipped.</p>'
    rows = "".join(
        f"<tr><td>{esc(s.get('item'))}</td><td>{esc(s.get('reason'))}</td><td>{esc(s.get('stage'))}</td></tr>"
        for s in items
    )
    return f"<table><thead><tr><th>Item</th><th>Reason</th><th>Stage</th></tr></thead><tbody>{rows}</tbody></table>"


def run_summary(meta: Mapping) -> str:
    """Seed, inputs, package versions and the resolved config."""
    facts = [("Seed", esc(meta.get("seed")))]
    inputs = meta.get("inputs") or []
    if inputs:
        facts.append(("Inputs", "<br>".join(esc(_input_name(i)) for i in inputs)))
    versions = meta.get("versions") or {}
    if versions:
        facts.append(("Versions", ", ".join(f"{esc(k)} {esc(v)}" for k, v in versions.items())))
    config = json.dumps(meta.get("config") or {}, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return f"{_dl(facts)}<details><summary>Resolved configuration</summary><pre>{esc(config)}</pre></details>"


def _input_name(item: object) -> str:
    if isinstance(item, Mapping):
        return " · ".join(str(v) for v in item.values())
    return str(item)

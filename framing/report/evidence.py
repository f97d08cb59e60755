"""Quotes: sentences shown as evidence, each with where to find it again.

A quote carries its source, date, role, author, title, the input file and the
offsets into it (``input_start``/``input_end`` when the run has them), the
ids and offsets into ``documents.text``, the matching score, and a window of
the document's text around it so the page can show the sentence in context.
Nothing here is escaped: the Jinja2 templates escape every value.

Examples
--------
>>> q = Quotes(tables)                                    # doctest: +SKIP
>>> q.get("d0s1")["source"]                              # doctest: +SKIP
'alpha_news'
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .common import as_list, get_table, is_missing, text

CONTEXT_CHARS = 320
EVIDENCE_PER_LANGUAGE = 5


def _int(value: object) -> int | None:
    return None if is_missing(value) else int(value)


class Quotes:
    """Looks sentences up by id and describes them as quotes (plain dicts)."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]):
        sents = get_table(tables, "sentences")
        docs = get_table(tables, "documents")
        self.sentences = sents.drop_duplicates("sentence_id").set_index("sentence_id") if sents is not None else None
        self.documents = docs.drop_duplicates("doc_id").set_index("doc_id") if docs is not None else None

    def get(self, sid: object, score: float | None = None) -> dict | None:
        """The quote of sentence ``sid``; None when the sentences table lacks it."""
        if self.sentences is None or sid not in self.sentences.index:
            return None
        r = self.sentences.loc[sid]
        doc = self.documents.loc[r["doc_id"]] if self.documents is not None and r["doc_id"] in self.documents.index else None
        start, end = _int(r.get("start")), _int(r.get("end"))
        quote = {
            "sentence_id": text(sid), "doc_id": text(r["doc_id"]), "text": text(r["text"]),
            "source": text(r["source"]), "role": text(r["role"]), "author": text(r.get("author")),
            "date": text(r.get("date")), "lang": text(r.get("lang")), "start": start, "end": end,
            "input_start": _int(r.get("input_start")), "input_end": _int(r.get("input_end")),
            "score": None if score is None or is_missing(score) else float(score),
            "title": "", "file": "", "before": "", "after": "", "missing": False,
        }
        if doc is not None:
            quote.update(title=text(doc.get("title")), file=text(doc.get("file")) or text(doc.get("url")))
            body = text(doc.get("text"))
            if start is not None and end is not None and body[start:end] == quote["text"]:
                lo, hi = max(0, start - CONTEXT_CHARS), min(len(body), end + CONTEXT_CHARS)
                quote["before"] = ("…" if lo > 0 else "") + body[lo:start]
                quote["after"] = body[end:hi] + ("…" if hi < len(body) else "")
        return quote

    def many(self, ids, scores: Mapping | None = None) -> list[dict]:
        out = []
        for sid in ids:
            q = self.get(sid, (scores or {}).get(sid))
            out.append(q if q is not None else {"sentence_id": text(sid), "missing": True})
        return out


def language_order(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Languages of the sentences, most frequent first."""
    sents = tables.get("sentences")
    if sents is None or "lang" not in sents.columns:
        return []
    vc = sents["lang"].fillna("unknown").astype(str).value_counts()
    return sorted(vc.index, key=lambda lang: (-vc[lang], lang))


def frame_evidence(mine: pd.DataFrame | None, quotes: Quotes, preferred: list, languages: list[str],
                   per_language: int = EVIDENCE_PER_LANGUAGE) -> list[dict]:
    """Evidence of one frame as columns by language: [{"lang", "quotes"}], Dutch and English side by side.

    ``mine`` holds the frame's rows of ``sentence_frames``. The run's own evidence
    (``frames.evidence_ids``) comes first, then the frame's other matched sentences by
    decreasing score, until each language has ``per_language``.
    """
    scores: dict = {}
    ranked: list = list(preferred)
    if mine is not None:
        scores = dict(zip(mine["sentence_id"], mine["score"].astype(float)))
        matched = mine[mine["matched"].astype(bool)].sort_values(["score", "sentence_id"], ascending=[False, True])
        seen = set(preferred)
        ranked += [s for s in matched["sentence_id"].head(50 * per_language) if s not in seen]
    by_lang: dict[str, list[dict]] = {}
    for sid in dict.fromkeys(ranked):
        q = quotes.get(sid, scores.get(sid))
        if q is None:
            continue
        bucket = by_lang.setdefault(q["lang"] or "unknown", [])
        if len(bucket) < per_language:
            bucket.append(q)
    order = [lang for lang in languages if lang in by_lang] + sorted(set(by_lang) - set(languages))
    return [{"lang": lang, "quotes": by_lang[lang]} for lang in order]


def top_by_group(tables: Mapping[str, pd.DataFrame], per: int = 3) -> dict[str, dict[str, list[dict]]]:
    """For the side-by-side view: per source and frame, the best matched sentences (compact dicts)."""
    sf, sents = get_table(tables, "sentence_frames"), get_table(tables, "sentences")
    if sf is None or sents is None:
        return {}
    matched = sf[sf["matched"].astype(bool)].merge(sents[["sentence_id", "source", "text", "date", "role", "doc_id"]],
                                                   on="sentence_id")
    matched = matched.sort_values(["score", "sentence_id"], ascending=[False, True])
    out: dict[str, dict[str, list[dict]]] = {}
    for (source, fid), part in matched.groupby([matched["source"].astype(str), matched["frame_id"].astype(str)], sort=True):
        out.setdefault(source, {})[fid] = [
            {"text": text(r.text), "id": text(r.sentence_id), "doc": text(r.doc_id), "date": text(r.date),
             "role": text(r.role), "score": round(float(r.score), 3)}
            for r in part.head(per).itertuples(index=False)
        ]
    return out


def as_ids(value: object) -> list:
    return [v for v in as_list(value) if not is_missing(v)]


def without_reprints(tables: Mapping[str, pd.DataFrame]) -> Mapping[str, pd.DataFrame]:
    """The tables evidence is drawn from, without the sentences that copy a passage first seen elsewhere."""
    from ..compare.reuse import reprint_sentences

    reuse, sents, sf = get_table(tables, "reuse"), get_table(tables, "sentences"), get_table(tables, "sentence_frames")
    if reuse is None or sents is None or sf is None or not len(reuse):
        return tables
    copies = set(sents.sentence_id[reprint_sentences(reuse, sents).to_numpy()])
    if not copies:
        return tables
    out = {**tables, "sentence_frames": sf[~sf.sentence_id.isin(copies)]}
    frames = get_table(tables, "frames")
    if frames is not None and "evidence_ids" in frames.columns:
        out["frames"] = frames.assign(evidence_ids=[
            [i for i in (list(v) if v is not None and not isinstance(v, float) else []) if i not in copies]
            for v in frames.evidence_ids])
    return out

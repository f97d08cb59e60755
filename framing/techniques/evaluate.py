"""Scoring technique decisions against coded spans at span, sentence and document level.

The measures are those of the shared tasks, so figures can be set beside the published ones:

- **span identification** (SemEval-2020 Task 11, SI): the techniques are
  ignored, overlapping spans of an article are merged, and a predicted span
  earns the share of it that covers gold characters (precision), a gold span
  the share of it that is covered (recall): P = sum over predicted s, gold t
  of |s & t| / |s|, divided by the number of predicted spans; R likewise over
  gold spans (Da San Martino et al. 2020);
- **technique classification of gold spans** (SemEval-2020 Task 11, TC):
  each coded span is given one technique; micro-F1 over spans (a span coded
  with two techniques counts as two items);
- **sentence level** (NLP4IF-2019 SLC): a sentence is propaganda when a
  coded span touches it; F1 of "propaganda or not", and per technique;
- **document level**: an article uses a technique when one of its spans
  has it; per technique F1.

Intervals: percentile bootstrap over items (sentences, spans, articles) with
:func:`framing.frames.evaluate.bootstrap_intervals`; span identification,
whose items are articles with several spans each, resamples articles
(:func:`framing.stats.bootstrap_sums`: the package's one bootstrap).

Examples
--------
>>> gold = pd.DataFrame({"doc_id": ["a"], "start": [0], "end": [10]})
>>> pred = pd.DataFrame({"doc_id": ["a"], "start": [5], "end": [15]})
>>> round(float(span_identification(pred, gold)["f1"]), 2)
0.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames.evaluate import bootstrap_intervals, multilabel_metrics, prf
from .features import sentence_labels


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _doc_sums(pred: list, gold: list) -> tuple[float, int, float, int]:
    """(sum of |s & t| / |s|, number of predicted, sum of |s & t| / |t|, number of gold) of one article."""
    p_sum = r_sum = 0.0
    for a, b in pred:
        p_sum += sum(max(0, min(b, d) - max(a, c)) for c, d in gold) / (b - a)
    for c, d in gold:
        r_sum += sum(max(0, min(b, d) - max(a, c)) for a, b in pred) / (d - c)
    return p_sum, len(pred), r_sum, len(gold)


def _f(p_sum, n_pred, r_sum, n_gold):
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def span_identification(pred: pd.DataFrame, gold: pd.DataFrame, doc_ids=None, n_boot: int = 1000,
                        seed: int = 42) -> dict:
    """SemEval-2020 SI precision, recall and F1 (techniques ignored), with a bootstrap over articles.

    Parameters
    ----------
    pred, gold : DataFrame with doc_id, start, end
    doc_ids : sequence, optional
        The articles scored (default: every article of either table).
    """
    ids = sorted(set(map(str, doc_ids))) if doc_ids is not None else sorted(
        set(pred["doc_id"].astype(str)) | set(gold["doc_id"].astype(str)))
    pg = {d: _merge(list(zip(g["start"], g["end"]))) for d, g in pred.groupby(pred["doc_id"].astype(str))}
    gg = {d: _merge(list(zip(g["start"], g["end"]))) for d, g in gold.groupby(gold["doc_id"].astype(str))}
    sums = np.array([_doc_sums(pg.get(d, []), gg.get(d, [])) for d in ids], dtype=float).reshape(-1, 4)
    p, r, f = _f(*sums.sum(axis=0))
    out = {"precision": p, "recall": r, "f1": f, "predicted": int(sums[:, 1].sum()), "gold": int(sums[:, 3].sum()),
           "articles": len(ids)}
    if len(ids) > 1 and n_boot:
        from ..stats import bootstrap_sums, seeded_rng

        (tot,) = bootstrap_sums(sums, n_boot=n_boot, rng=seeded_rng(seed, "span_identification"))
        fs = np.array([_f(*row)[2] for row in tot])
        out["f1_low"], out["f1_high"] = (float(x) for x in np.percentile(fs, [2.5, 97.5]))
    return out


def _table(gold_sets, pred_sets, ids, n_boot, seed) -> tuple[pd.DataFrame, dict]:
    table, avg = multilabel_metrics(gold_sets, pred_sets, ids)
    Y = np.array([[t in g for t in ids] for g in gold_sets], bool).reshape(-1, len(ids))
    P = np.array([[t in p for t in ids] for p in pred_sets], bool).reshape(-1, len(ids))
    if len(Y) > 1 and n_boot:
        per, intervals = bootstrap_intervals(Y, P, n_boot=n_boot, seed=seed)
        table["f1_low"], table["f1_high"] = per[:, 0], per[:, 1]
        avg["intervals"] = intervals
    return table, avg


def technique_classification(gold: pd.DataFrame, predicted: list[str], ids: list[str], n_boot: int = 1000,
                             seed: int = 42) -> tuple[pd.DataFrame, dict]:
    """Micro-F1 of one technique per coded span (SemEval-2020 TC), per technique with intervals.

    Parameters
    ----------
    gold : DataFrame with technique_id (one row per coded span and technique)
    predicted : list of str, the technique given to each row of ``gold``
    """
    gold_sets = [{t} for t in gold["technique_id"].astype(str)]
    pred_sets = [{p} for p in predicted]
    return _table(gold_sets, pred_sets, ids, n_boot, seed)


def sentence_level(sentences: pd.DataFrame, matched: np.ndarray, spans: pd.DataFrame, ids: list[str],
                   n_boot: int = 1000, seed: int = 42) -> tuple[pd.DataFrame, dict]:
    """Per technique and for "any technique" (row ``any``: NLP4IF-2019 propaganda or not): P/R/F1 over sentences.

    ``matched`` has shape (n_sentences, len(ids)): the sentence decisions.
    """
    Y = sentence_labels(sentences, spans, ids)
    P = np.asarray(matched, bool)
    names = [*ids, "any"]
    Y = np.column_stack([Y, Y.any(axis=1)])
    P = np.column_stack([P, P.any(axis=1)])
    gold_sets = [{names[j] for j in np.flatnonzero(r)} for r in Y]
    pred_sets = [{names[j] for j in np.flatnonzero(r)} for r in P]
    table, _ = _table(gold_sets, pred_sets, names, n_boot, seed)
    techniques = table[table["frame_id"] != "any"]
    mp, mr, mf = prf(int(techniques["tp"].sum()), int(techniques["fp"].sum()), int(techniques["fn"].sum()))
    row = table[table["frame_id"] == "any"].iloc[0]
    return table.rename(columns={"frame_id": "technique_id"}), {
        "propaganda_precision": float(row["precision"]), "propaganda_recall": float(row["recall"]),
        "propaganda_f1": float(row["f1"]), "propaganda_f1_low": float(row.get("f1_low", np.nan)),
        "propaganda_f1_high": float(row.get("f1_high", np.nan)), "micro_f1": mf, "sentences": int(len(Y)),
        "propaganda_share": float(Y[:, -1].mean()) if len(Y) else 0.0}


def document_level(document_techniques: pd.DataFrame, spans: pd.DataFrame, doc_ids, ids: list[str],
                   n_boot: int = 1000, seed: int = 42) -> tuple[pd.DataFrame, dict]:
    """Per technique P/R/F1 of the document decisions against "the article has a span of it"."""
    doc_ids = [str(d) for d in doc_ids]
    gold = spans.groupby(spans["doc_id"].astype(str))["technique_id"].agg(set)
    used = document_techniques[document_techniques["matched"].astype(bool)]
    pred = used.groupby(used["doc_id"].astype(str))["technique_id"].agg(set)
    gold_sets = [set(gold.get(d, set())) for d in doc_ids]
    pred_sets = [set(pred.get(d, set())) for d in doc_ids]
    table, avg = _table(gold_sets, pred_sets, ids, n_boot, seed)
    return table.rename(columns={"frame_id": "technique_id"}), avg


def format_table(table: pd.DataFrame, title: str) -> str:
    """A plain-text table of per-technique figures."""
    lines = [title, f"{'technique':<28}{'support':>8}{'pred':>7}{'P':>7}{'R':>7}{'F1':>7}  95% interval"]
    for _, r in table.iterrows():
        ci = (f"[{r['f1_low']:.2f}, {r['f1_high']:.2f}]" if "f1_low" in r and pd.notna(r.get("f1_low"))
              else "")
        lines.append(f"{str(r.iloc[0]):<28}{int(r['support']):>8}{int(r['predicted']):>7}{r['precision']:>7.2f}"
                     f"{r['recall']:>7.2f}{r['f1']:>7.2f}  {ci}")
    return "\n".join(lines)


def evaluate_decisions(coded, dec, tc_predicted: list[str], catalog, n_boot: int = 1000, seed: int = 42) -> dict:
    """Every level at once for one scorer's decisions on prepared coded documents.

    Parameters
    ----------
    coded : CodedSpans
        The held-out documents (:func:`framing.techniques.train.prepare_coded`).
    dec : Decisions
        The scorer's decisions on ``coded.sentences``.
    tc_predicted : list of str
        The technique the scorer gives each coded span (rows of ``coded.spans``).
    catalog : TechniqueCatalog

    Returns
    -------
    dict with ``sentence`` (table, figures), ``classification`` (table, figures), ``spans`` (figures, and
    ``spans_located``: the same without the whole-sentence spans), ``document`` (table, figures)
    """
    from .tables import technique_tables

    ids = list(catalog.ids)
    tables = technique_tables(dec, coded.sentences, catalog)
    st = tables.sentence_techniques
    matched = st["matched"].to_numpy(bool).reshape(len(coded.sentences), len(ids))
    docs = coded.documents["doc_id"].astype(str).tolist()
    spans = tables.technique_spans
    located = spans[spans["method"] != "sentence"]
    return {
        "sentence": sentence_level(coded.sentences, matched, coded.spans, ids, n_boot, seed),
        "classification": technique_classification(coded.spans, tc_predicted, ids, n_boot, seed),
        "spans": span_identification(spans, coded.spans, docs, n_boot, seed),
        "spans_located": span_identification(located, coded.spans, docs, n_boot, seed),
        "document": document_level(tables.document_techniques, coded.spans, docs, ids, n_boot, seed),
        "tables": tables,
    }


def format_evaluation(result: dict, name: str) -> str:
    """The figures of :func:`evaluate_decisions` as text, beside the shared tasks' best published figures."""
    s_table, s = result["sentence"]
    c_table, c = result["classification"]
    sp, loc = result["spans"], result["spans_located"]
    d_table, d = result["document"]

    def ci(fig: dict, low: str, high: str) -> str:
        return f" [{fig[low]:.2f}, {fig[high]:.2f}]" if low in fig and np.isfinite(fig.get(low, np.nan)) else ""

    cint = c.get("intervals", {}).get("micro_f1")
    dint = d.get("intervals", {}).get("micro_f1")
    lines = [
        f"== {name} ==",
        f"Sentence level, propaganda or not (NLP4IF-2019 SLC, best 0.63): F1 {s['propaganda_f1']:.3f}"
        f"{ci(s, 'propaganda_f1_low', 'propaganda_f1_high')} (P {s['propaganda_precision']:.2f}, "
        f"R {s['propaganda_recall']:.2f}; {s['sentences']} sentences, {s['propaganda_share']:.0%} propaganda)",
        f"Technique classification of gold spans (SemEval-2020 TC, best 0.63): micro-F1 {c['micro_f1']:.3f}"
        + (f" [{cint[0]:.2f}, {cint[1]:.2f}]" if cint else "") + f", macro-F1 {c['macro_f1']:.3f}",
        f"Span identification (SemEval-2020 SI, best 0.52): F1 {sp['f1']:.3f}{ci(sp, 'f1_low', 'f1_high')} "
        f"(P {sp['precision']:.2f}, R {sp['recall']:.2f}; {sp['predicted']} spans predicted, {sp['gold']} gold); "
        f"located spans only: F1 {loc['f1']:.3f}{ci(loc, 'f1_low', 'f1_high')} (P {loc['precision']:.2f}, "
        f"R {loc['recall']:.2f})",
        f"Document level: micro-F1 {d['micro_f1']:.3f}" + (f" [{dint[0]:.2f}, {dint[1]:.2f}]" if dint else "")
        + f", macro-F1 {d['macro_f1']:.3f}",
        "",
        format_table(s_table, "Sentence level, per technique"),
        "",
        format_table(c_table, "Technique classification of gold spans, per technique"),
        "",
        format_table(d_table, "Document level, per technique"),
    ]
    return "\n".join(lines)

"""A readable summary of the comparison tables, as rich tables for the terminal.

It reads only the ``compare_*`` tables (nothing is recomputed), so what it
prints can be found in them. Corpus text (labels, terms, group names) is
printed without rich markup interpretation.

Examples
--------
>>> from rich.console import Console
>>> print_summary(out, "source", Console())            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import store

ALPHA = 0.05


def _pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{100 * x:.1f}%"


def _ci(lo: float, hi: float) -> str:
    return "" if pd.isna(lo) else f"[{100 * lo:.1f}, {100 * hi:.1f}]"


def _table(title: str, columns: list[str]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def _row(t: Table, *cells: object) -> None:
    t.add_row(*[c if isinstance(c, Text) else Text(str(c)) for c in cells])


def groups_table(prev: pd.DataFrame) -> Table | None:
    """Documents and counted sentences per group, with the few-documents flag."""
    if prev.empty:
        return None
    first = prev.drop_duplicates(["group", "kind"])
    t = _table("Groups", ["group", "documents", "topic sentences", "frame sentences", "note"])
    for g, part in first.groupby("group", sort=False):
        by_kind = part.set_index("kind")
        docs = int(part["group_documents_all"].max())
        ts = by_kind["group_sentences"].get("topic", "–")
        fs = by_kind["group_sentences"].get("frame", "–")
        note = "few documents: read with care" if part["few_documents"].any() else ""
        _row(t, g, docs, ts, fs, note)
    return t


def differences_table(prev: pd.DataFrame, kind: str, limit: int = 12) -> Table | None:
    """The largest differences between a group and its comparison that survive Benjamini-Hochberg."""
    part = prev[(prev["kind"] == kind) & (prev["q_value"] < ALPHA)].copy()
    noun = "Frames" if kind == "frame" else "Topics"
    if prev[prev["kind"] == kind].empty:
        return None
    part["gap"] = (part["share_of_sentences"] - part["versus_share_of_sentences"]).abs()
    part = part.sort_values(["gap", "q_value"], ascending=[False, True]).head(limit)
    t = _table(f"{noun}: differences with q < {ALPHA} (Benjamini-Hochberg), share of sentences [95% CI]",
               ["group", kind, "group share", "vs", "their share", "docs: group / vs", "q"])
    if part.empty:
        _row(t, "(none)", "no difference survives the correction", "", "", "", "", "")
    for r in part.itertuples(index=False):
        _row(t, r.group, _short(r.label), f"{_pct(r.share_of_sentences)} {_ci(r.ci_low, r.ci_high)}", r.versus,
             _pct(r.versus_share_of_sentences), f"{_pct(r.share_of_documents)} / {_pct(r.versus_share_of_documents)}",
             f"{r.q_value:.2g}")
    return t


def top_items_table(prev: pd.DataFrame, kind: str, per_group: int = 3) -> Table | None:
    """Each group's most frequent frames (or topics), with intervals."""
    part = prev[(prev["kind"] == kind) & (prev["sentences"] > 0)]
    if part.empty:
        return None
    noun = "frames" if kind == "frame" else "topics"
    t = _table(f"Most used {noun} per group: share of sentences [95% CI] · share of documents",
               ["group", kind, "sentences", "documents"])
    for g, rows in part.groupby("group", sort=False):
        for r in rows.sort_values("share_of_sentences", ascending=False).head(per_group).itertuples(index=False):
            _row(t, g, _short(r.label), f"{_pct(r.share_of_sentences)} {_ci(r.ci_low, r.ci_high)}",
                 f"{_pct(r.share_of_documents)} {_ci(r.documents_ci_low, r.documents_ci_high)}")
    return t


def terms_summary(terms: pd.DataFrame, per_group: int = 8) -> Table | None:
    """The most distinctive terms of each group over all sentences."""
    part = terms[terms["scope"] == "all"]
    if part.empty:
        return None
    t = _table("Distinctive terms (weighted log-odds, informative Dirichlet prior; z-score)",
               ["group", "vs", "terms"])
    for (g, vs), rows in part.groupby(["group", "versus"], sort=False):
        top = rows.sort_values("rank").head(per_group)
        _row(t, g, vs, ", ".join(f"{w} ({z:.1f})" for w, z in zip(top["term"], top["z"])))
    return t


def divergence_summary(div: pd.DataFrame) -> Table | None:
    """The most and least similar pairs of groups, per kind."""
    pairs = div[(div["group_a"] < div["group_b"]) & div["jsd"].notna()]
    if pairs.empty:
        return None
    t = _table("Jensen-Shannon divergence (bits; 0 = same distribution, 1 = disjoint)",
               ["kind", "closest pairs", "farthest pairs"])
    for kind, rows in pairs.groupby("kind", sort=False):
        rows = rows.sort_values("jsd")
        fmt = lambda r: f"{r.group_a} · {r.group_b}: {r.jsd:.3f}"  # noqa: E731
        n = min(3, len(rows) // 2) if len(rows) > 1 else 1
        close = "\n".join(fmt(r) for r in rows.head(n).itertuples(index=False))
        far = "\n".join(fmt(r) for r in rows.iloc[n:].tail(3).iloc[::-1].itertuples(index=False))
        _row(t, kind, close, far)
    return t


def timing_summary(timing: pd.DataFrame, limit: int = 10) -> Table | None:
    """Shared items: who used them first, and how long the others took."""
    shared = timing[timing["shared"].astype(bool)]
    if shared.empty:
        return None
    t = _table("Who said it first (shared frames and topics; first dated document per group)",
               ["kind", "item", "first", "then (lag in days)"])
    keys = shared.assign(topic_kind=shared["kind"] == "topic").sort_values(
        ["topic_kind", "groups_using", "lag_days"], ascending=[True, False, False])[["kind", "item"]].drop_duplicates()
    keys = pd.concat([part.head(limit // 2 if keys["kind"].nunique() > 1 else limit)
                      for _, part in keys.groupby("kind", sort=False)])
    for kind, item in keys.itertuples(index=False):
        rows = shared[(shared["kind"] == kind) & (shared["item"] == item)].sort_values(["lag_days", "group"])
        lead = rows[rows["rank"] == 1]
        rest = rows[rows["rank"] > 1]
        _row(t, kind, _short(rows["label"].iloc[0]), f"{', '.join(lead['group'])} {lead['first_date'].iloc[0]}",
             ", ".join(f"{g} (+{d})" for g, d in zip(rest["group"], rest["lag_days"])))
    return t


def audience_summary(aud: pd.DataFrame, limit: int = 10) -> Table | None:
    """Outlet against audience per group: the frames comments take up, contest, ignore or bring in."""
    part = aud[(aud["level"] == "group") & (aud["kind"] == "frame")]
    if part.empty:
        return None
    part = part[(part["outlet_share_of_sentences"] > 0) | (part["audience_share_of_sentences"] > 0)]
    part = part.assign(gap=part["difference"].abs()).sort_values("gap", ascending=False).head(limit)
    measurable = part["contest_measurable"].astype(bool) if "contest_measurable" in part.columns else None
    caption = ("contest: comments use a counter-frame (catalog `counters`); '–' where the frame has none"
               if measurable is not None and measurable.any() else
               "contest not measurable: the catalog declares no counter-frames (`counters`), so comments that "
               "reject a frame in its own terms count as amplify")
    t = _table("Outlet vs audience (frames; share of sentences, audience minus outlet [95% CI over pages])",
               ["group", "frame", "pages", "outlet", "comments", "difference", "amplify / ignore / introduce / contest"])
    t.caption, t.caption_justify = caption, "left"
    for r in part.itertuples(index=False):
        contest = getattr(r, "contested_pages", float("nan"))
        contest = "–" if pd.isna(contest) else str(int(contest))
        _row(t, r.group, _short(r.label), r.pages, _pct(r.outlet_share_of_sentences),
             _pct(r.audience_share_of_sentences), f"{_pct(r.difference)} {_ci(r.ci_low, r.ci_high)}",
             f"{int(r.amplified_pages)} / {int(r.ignored_pages)} / {int(r.introduced_pages)} / {contest}")
    return t


def _short(text: object, n: int = 60) -> str:
    s = str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def print_summary(tables: Mapping[str, pd.DataFrame], by: str, console: Console) -> None:
    """Print the comparison of one grouping (rows whose ``by`` is ``by``)."""
    def get(name):
        df = tables.get(name)
        return df[df["by"] == by] if df is not None and len(df) and "by" in df.columns else pd.DataFrame(
            columns=list(df.columns) if df is not None else ["by"])

    prev = get(store.COMPARE_PREVALENCE)
    console.print(Text(f"Comparison by {by}", style="bold"))
    if len(prev):
        rule = prev.drop_duplicates("kind")[["kind", "sentence_denominator", "document_rule"]]
        for r in rule.itertuples(index=False):
            console.print(Text(f"  {r.kind}s: sentences counted = {r.sentence_denominator}; "
                               f"a document uses one = {r.document_rule}"))
    blocks = [groups_table(prev), top_items_table(prev, "frame"), differences_table(prev, "frame"),
              top_items_table(prev, "topic"), differences_table(prev, "topic"),
              terms_summary(get(store.COMPARE_TERMS)), divergence_summary(get(store.COMPARE_DIVERGENCE)),
              timing_summary(get(store.COMPARE_TIMING)), audience_summary(get(store.COMPARE_AUDIENCE))]
    for block in blocks:
        if block is not None:
            console.print(block)

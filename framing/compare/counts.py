"""Months, ``corpus_counts`` (the corpus's row counts) and ``topic_prevalence`` (a view of ``compare_trend``).

``corpus_counts`` is the one home of every count the report shows that is
not a comparison: documents and sentences per source, role, month, language
and voice, documents per frame and per topic (:func:`corpus_counts`).

The share of each topic per source and month is computed once, by
:func:`framing.compare.timing.trend_table` into ``compare_trend`` (column
names say the denominator: ``share_of_sentences`` of the group's clustered
sentences that month, ``share_of_documents``). Runs no longer store a
``topic_prevalence`` table; :func:`topic_prevalence` reads those rows under
the topic's number.

Examples
--------
>>> import pandas as pd
>>> trend = pd.DataFrame({"by": ["source"] * 3, "kind": ["topic", "topic", "frame"], "item": ["0", "1", "oil"],
...                       "label": ["0_a", "1_b", "Oil"], "group": ["x"] * 3, "month": ["2021-05"] * 3,
...                       "sentences": [2, 1, 1], "group_sentences": [3, 3, 4],
...                       "share_of_sentences": [2 / 3, 1 / 3, 0.25], "documents": [1, 1, 1], "group_documents": [1, 1, 1],
...                       "share_of_documents": [1.0, 1.0, 1.0]})
>>> topic_prevalence(trend)[["topic", "group", "sentences", "group_sentences"]].values.tolist()
[[0, 'x', 2, 3], [1, 'x', 1, 3]]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..errors import InputError

PREVALENCE_COLUMNS = ["topic", "label", "by", "group", "month", "sentences", "group_sentences", "share_of_sentences",
                      "documents", "group_documents", "share_of_documents"]
"""The columns of :func:`topic_prevalence` (those of ``compare_trend``, with ``topic`` for ``item``)."""
UNKNOWN = "unknown"


def month_of(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of ISO dates (``YYYY-MM-DD`` or ``YYYY-MM``); ``"unknown"`` when missing or malformed.

    >>> month_of(pd.Series(["2021-05-17", None, "garbage", "2020-12"])).tolist()
    ['2021-05', 'unknown', 'unknown', '2020-12']
    """
    text = dates.astype("string").str.strip()
    month = text.str.extract(r"^(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{2})?", expand=False)
    return month.fillna(UNKNOWN).astype(object)


def topic_prevalence(compare_trend: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """Topics per group and month: the topic rows of ``compare_trend`` for one grouping.

    ``share_of_sentences`` is the topic's clustered sentences divided by all
    clustered sentences (``topic >= 0``) of the group in that month, so the
    shares of one group and month sum to 1; ``share_of_documents`` divides the
    documents that use the topic by the group's documents with a clustered
    sentence that month. Undated documents fall under the month ``unknown``.
    Only topics that occur have rows (absent rows are zero).

    Parameters
    ----------
    compare_trend : DataFrame
        The run's ``compare_trend`` table.
    by : str
        The grouping (``source`` is always computed by ``framing analyze``;
        ``role`` where comments exist; others after ``framing compare --by``).

    Returns
    -------
    DataFrame with :data:`PREVALENCE_COLUMNS`, sorted by group, month and topic.

    Raises
    ------
    InputError
        When the table lacks its columns, or has rows but none for ``by``.
    """
    missing = [c for c in ("by", "kind", "item", "group", "month", "sentences", "share_of_sentences")
               if c not in compare_trend.columns]
    if missing:
        raise InputError(f"topic_prevalence reads the compare_trend table; this table lacks {missing}. "
                         "Give the compare_trend table of a run written by `framing analyze`.")
    if len(compare_trend) and by not in set(compare_trend["by"]):
        raise InputError(f"compare_trend has no rows grouped by {by!r} (it has: "
                         f"{', '.join(sorted(map(str, set(compare_trend['by']))))}); run `framing compare RUN --by {by}`.")
    rows = compare_trend[(compare_trend["by"] == by) & (compare_trend["kind"] == "topic")]
    out = rows.assign(topic=pd.to_numeric(rows["item"], errors="raise").astype("int64"))
    out = out.reindex(columns=PREVALENCE_COLUMNS)
    return out.sort_values(["group", "month", "topic"], kind="stable").reset_index(drop=True)


COUNTS_TABLE = "corpus_counts"
COUNTS_COLUMNS = ["by", "group", "documents", "article_documents", "comment_documents", "post_documents",
                  "sentences", "share_of_all_sentences", "main_topic_documents", "first_date", "last_date"]
"""The columns of :func:`corpus_counts`; a count that does not apply to a row's ``by`` is missing."""
ROLES = ("article", "comment", "post")
_INT_COLUMNS = ["documents", "article_documents", "comment_documents", "post_documents", "sentences",
                "main_topic_documents"]


def _strs(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def _dates(part: pd.DataFrame) -> tuple[str | None, str | None]:
    if "date" not in part.columns:
        return None, None
    dates = _strs(part["date"])
    dates = dates[dates != ""]
    return (dates.min(), dates.max()) if len(dates) else (None, None)


def _document_rows(by: str, docs: pd.DataFrame, keys: pd.Series, sentence_keys: pd.Series | None,
                   order: list[str], with_roles: bool = True) -> list[dict]:
    n_sentences = sentence_keys.value_counts() if sentence_keys is not None else pd.Series(dtype=int)
    rows = []
    parts = dict(tuple(docs.groupby(keys, sort=False))) if len(docs) else {}
    for group in order:
        part = parts.get(group, docs.iloc[0:0])
        row = {"by": by, "group": group, "documents": len(part),
               "sentences": int(n_sentences.get(group, 0)) if sentence_keys is not None else None}
        if with_roles:
            roles = _strs(part["role"]).value_counts()
            row.update({f"{r}_documents": int(roles.get(r, 0)) for r in ROLES})
        row["first_date"], row["last_date"] = _dates(part)
        rows.append(row)
    return rows


def _sentence_rows(by: str, keys: pd.Series, total: int) -> list[dict]:
    return [{"by": by, "group": g, "sentences": int(n), "share_of_all_sentences": n / total if total else 0.0}
            for g, n in keys.value_counts().items()]


def corpus_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The corpus's row counts, one row per ``by`` and ``group``: the report's counts, from one table.

    Rows by ``by``:

    - ``corpus`` (group ``all``), ``source``: documents, documents per role (``article_documents``,
      ``comment_documents``, ``post_documents``), sentences, the first and last document date;
    - ``role``: documents and sentences of that role;
    - ``month``: documents per month of their date (``unknown`` when undated, as in ``compare_trend``);
    - ``language``, ``voice``: sentences, and ``share_of_all_sentences`` (of every sentence of the corpus);
    - ``frame`` (group: frame id): ``documents`` the run decided use the frame (``document_frames``,
      its ``matched`` rows; every row when it has no such column);
    - ``topic`` (group: topic number): ``documents`` with a sentence in the topic, and
      ``main_topic_documents`` whose main topic it is (``document_topics``).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        A run's tables; ``documents`` and ``sentences`` (and ``document_frames``, ``document_topics``
        for their rows) are read; a missing table leaves out the rows that need it.

    Returns
    -------
    DataFrame with :data:`COUNTS_COLUMNS`.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1", "d2"], "source": ["a", "b"], "role": ["article", "comment"],
    ...                      "date": ["2021-05-01", None]})
    >>> sents = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "source": ["a", "a", "b"],
    ...                       "role": ["article", "article", "comment"], "lang": ["en", "en", "nl"]})
    >>> c = corpus_counts({"documents": docs, "sentences": sents})
    >>> c[c.by == "source"][["group", "documents", "comment_documents", "sentences"]].values.tolist()
    [['a', 1, 0, 2], ['b', 1, 1, 1]]
    >>> c[c.by == "month"][["group", "documents"]].values.tolist()
    [['2021-05', 1], ['unknown', 1]]
    """
    docs, sents = tables.get("documents"), tables.get("sentences")
    rows: list[dict] = []
    if docs is not None:
        rows += _document_rows("corpus", docs, pd.Series("all", index=docs.index), None, ["all"])
    elif sents is not None:
        rows.append({"by": "corpus", "group": "all"})
    if sents is not None:
        rows[-1]["sentences"] = len(sents)
    if docs is not None:
        source_keys = _strs(docs["source"])
        sentence_sources = _strs(sents["source"]) if sents is not None else None
        rows += _document_rows("source", docs, source_keys, sentence_sources, sorted(set(source_keys)))
        role_keys = _strs(docs["role"])
        roles = list(role_keys.value_counts().index)
        sentence_roles = _strs(sents["role"]) if sents is not None and "role" in sents.columns else None
        rows += _document_rows("role", docs, role_keys, sentence_roles, roles, with_roles=False)
        months = month_of(docs["date"]) if "date" in docs.columns else pd.Series(UNKNOWN, index=docs.index)
        rows += [{"by": "month", "group": m, "documents": int(n)} for m, n in sorted(months.value_counts().items())]
    if sents is not None:
        if "lang" in sents.columns:
            rows += _sentence_rows("language", _strs(sents["lang"]), len(sents))
        if "voice" in sents.columns:
            rows += _sentence_rows("voice", sents["voice"].astype(str), len(sents))
    rows += _frame_rows(tables.get("document_frames")) + _topic_rows(tables.get("document_topics"))
    out = pd.DataFrame(rows, columns=COUNTS_COLUMNS)
    return out.astype({c: "Int64" for c in _INT_COLUMNS} | {"share_of_all_sentences": "float64",
                                                               "by": object, "group": object,
                                                               "first_date": object, "last_date": object})


def _frame_rows(document_frames: pd.DataFrame | None) -> list[dict]:
    if document_frames is None or not {"doc_id", "frame_id"} <= set(document_frames.columns):
        return []
    fid = document_frames["frame_id"].astype(str)
    if "matched" in document_frames.columns:
        n = document_frames["matched"].astype(bool).groupby(fid, sort=False).sum()
    else:
        n = fid.value_counts(sort=False)
    return [{"by": "frame", "group": f, "documents": int(k)} for f, k in n.items()]


def _topic_rows(document_topics: pd.DataFrame | None) -> list[dict]:
    dt = document_topics
    if dt is None or not {"doc_id", "topic"} <= set(dt.columns):
        return []
    if "sentences" in dt.columns:
        dt = dt[pd.to_numeric(dt["sentences"], errors="coerce").fillna(0) > 0]
    topic = dt["topic"].astype(int)
    docs = dt.groupby(topic)["doc_id"].nunique()
    main = None
    if "is_main" in dt.columns:
        is_main = dt["is_main"].astype(bool)
        main = dt[is_main].groupby(topic[is_main])["doc_id"].nunique()
    return [{"by": "topic", "group": str(int(t)), "documents": int(n),
             "main_topic_documents": None if main is None else int(main.get(t, 0))} for t, n in docs.items()]

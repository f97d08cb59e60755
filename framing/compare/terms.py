"""Distinctive language: weighted log-odds ratios with an informative Dirichlet prior.

Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' words:
Lexical feature selection and evaluation for identifying the content of
political conflict. *Political Analysis*, 16(4), 372-403.

Words are counted the way topic keywords are (:data:`framing.topics.TOKEN_PATTERN`,
lower-cased NFKC text, 1- to ``topics.ngram_max``-word phrases) with the
stopwords-iso lists of every language present removed. The prior is the
word's count in the compared sentences as a whole, times ``prior_scale``
(Monroe et al.'s informative prior from the full corpus), so rare words do
not top the list on one mention. A group is compared with the rest of the
corpus, or with one other group; over all sentences (scope ``all``) or
within the sentences matching one frame (``frame:ID``) or in one topic
(``topic:N``).

Examples
--------
>>> s = pd.DataFrame({"sentence_id": list("abcd"), "doc_id": list("abcd"), "lang": ["en"] * 4,
...                   "text": ["oil oil pipeline", "oil profits", "families suffer", "families hunger"]})
>>> g = pd.Series({"a": "x", "b": "x", "c": "y", "d": "y"})
>>> terms_table(s, g, "source", min_count=1, ngram_max=1).query("group == 'x'").term.tolist()[:2]
['oil', 'pipeline']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import log_odds_dirichlet
from ..suggest import did_you_mean

TERM_COLUMNS = ["by", "scope", "group", "versus", "term", "count", "versus_count", "group_words", "versus_words",
                "log_odds", "z", "rank"]
REST = "rest"
LANGUAGE_MIN_SENTENCES = 10
"""A language gives its stop words to the counts when it holds this many sentences (the smallest
topic of ``topics.min_cluster_size: auto``): one sentence identified wrongly must not take
"embargo" (Spanish "sin embargo") or the digits out of every other sentence's terms."""


def empty_terms() -> pd.DataFrame:
    """A terms table without rows, with its columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TERM_COLUMNS})


def count_terms(texts: list[str], langs: list, ngram_max: int = 2, max_terms: int = 50000):
    """Term counts per sentence, counted like topic keywords.

    Returns
    -------
    x : sparse matrix of shape (n_sentences, n_terms), or None when no term is left
    vocab : list of str
    """
    from sklearn.feature_extraction.text import CountVectorizer

    from ..words import TOKEN_PATTERN, corpus_languages, keyword_preprocessor, stop_words_for

    stop = stop_words_for(corpus_languages(langs, LANGUAGE_MIN_SENTENCES))
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=keyword_preprocessor,
                          stop_words=sorted(stop) or None, ngram_range=(1, ngram_max), max_features=max_terms,
                          dtype=np.float64)
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # nothing but stop words, numbers and short tokens
        return None, []
    return x.tocsr(), vec.get_feature_names_out().tolist()


def _group_sums(x, sent_group: np.ndarray):
    """Term counts per group: (group names, sparse matrix of shape (n_groups, n_terms))."""
    from scipy import sparse

    names, codes = np.unique(sent_group.astype(str), return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(names), len(codes)))
    return list(names), (indicator @ x).tocsr()


def _distinctive(x, vocab: list, sent_group: np.ndarray, by: str, scope: str, a, b, top_n: int, min_count: int,
                 prior_scale: float) -> pd.DataFrame:
    """The rows of one scope, from its sentences' term counts."""
    total = np.asarray(x.sum(axis=0)).ravel()
    keep = np.flatnonzero(total >= min_count)
    if len(keep) < 2 or not x.shape[0]:  # one word has no odds against the others
        return empty_terms()
    names, sums = _group_sums(x[:, keep], sent_group)
    total, vocab = total[keep], np.asarray(vocab, dtype=object)[keep]
    prior = np.maximum(total * prior_scale, 1e-9)
    row = {g: i for i, g in enumerate(names)}
    zero = np.zeros(len(vocab))
    cols: dict[str, list] = {c: [] for c in TERM_COLUMNS}
    for g in ([a, b] if a is not None else names):
        mine = sums[row[g]].toarray().ravel() if g in row else zero
        if a is not None:
            other_name = b if g == a else a
            other = sums[row[other_name]].toarray().ravel() if other_name in row else zero
        else:
            other_name, other = REST, total - mine
        if mine.sum() == 0 or other.sum() == 0:
            continue
        delta, z = log_odds_dirichlet(mine, other, prior)
        top = np.argsort(-z, kind="stable")[:top_n]
        top = top[z[top] > 0]
        n = len(top)
        for col, values in (("by", [by] * n), ("scope", [scope] * n), ("group", [g] * n),
                            ("versus", [other_name] * n), ("term", vocab[top].tolist()),
                            ("count", mine[top].astype("int64").tolist()),
                            ("versus_count", other[top].astype("int64").tolist()),
                            ("group_words", [int(mine.sum())] * n), ("versus_words", [int(other.sum())] * n),
                            ("log_odds", delta[top].tolist()), ("z", z[top].tolist()),
                            ("rank", list(range(1, n + 1)))):
            cols[col].extend(values)
    out = pd.DataFrame(cols, columns=TERM_COLUMNS)
    return out if len(out) else empty_terms()


def terms_table(sentences: pd.DataFrame, groups: pd.Series, by: str, a: str | None = None, b: str | None = None,
                scope: str = "all", top_n: int = 20, min_count: int = 5, prior_scale: float = 1.0,
                ngram_max: int = 2, max_terms: int = 50000) -> pd.DataFrame:
    """The ``top_n`` most distinctive terms of each group (z > 0), against the rest or the other group.

    Parameters
    ----------
    sentences : DataFrame
        sentence_id, doc_id, text and lang of the sentences to compare (already
        restricted to a frame or topic for a scope other than ``all``).
    groups : Series of str indexed by doc_id
    by, scope : str
        Written to the ``by`` and ``scope`` columns.
    a, b : str, optional
        Compare these two groups with each other (rows for both).
    top_n, min_count : int
        Terms kept per group; terms counted fewer times in the scope are left out.
    prior_scale : float
        Dirichlet pseudo-counts = ``prior_scale`` x the term's count in the scope.
    ngram_max, max_terms : int
        Longest phrase in words (as ``topics.ngram_max``); vocabulary size cap.

    Returns
    -------
    DataFrame with :data:`TERM_COLUMNS`; ``rank`` 1 is the most distinctive.
    """
    return terms_tables(sentences, None, groups, by, ["all"], a, b, top_n, min_count, prior_scale, ngram_max,
                        max_terms).assign(scope=scope) if len(sentences) else empty_terms()


def terms_tables(sentences: pd.DataFrame, sentence_frames: pd.DataFrame | None, groups: pd.Series, by: str,
                 scopes: list[str], a: str | None = None, b: str | None = None, top_n: int = 20, min_count: int = 5,
                 prior_scale: float = 1.0, ngram_max: int = 2, max_terms: int = 50000) -> pd.DataFrame:
    """Distinctive terms for several scopes, counting the words of the corpus once.

    ``scopes`` are ``all``, ``frame:ID`` and ``topic:N`` (see :func:`scoped_sentences`).
    """
    base = scoped_sentences(sentences, sentence_frames, "all")
    scoped = {scope: scoped_sentences(sentences, sentence_frames, scope) for scope in scopes}  # errors first
    if base.empty:
        return empty_terms()
    x, vocab = count_terms(base["text"].astype(str).tolist(),
                           base["lang"].tolist() if "lang" in base.columns else [], ngram_max, max_terms)
    if x is None:
        return empty_terms()
    sent_group = base["doc_id"].astype(str).map(groups).fillna("unknown").to_numpy(object)
    parts = []
    for scope, chosen in scoped.items():
        mask = base["sentence_id"].isin(chosen["sentence_id"]).to_numpy() if scope != "all" else np.ones(len(base), bool)
        parts.append(_distinctive(x[mask], vocab, sent_group[mask], by, scope, a, b, top_n, min_count, prior_scale))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty_terms()


def scoped_sentences(sentences: pd.DataFrame, sentence_frames: pd.DataFrame | None, scope: str) -> pd.DataFrame:
    """The sentences of a scope: ``all`` (non-fragments), ``frame:ID`` (matched) or ``topic:N``.

    Raises
    ------
    ValueError
        For a scope of another form, or a frame or topic the run does not have.
    """
    base = sentences[~sentences["is_fragment"].astype(bool)] if "is_fragment" in sentences.columns else sentences
    if scope == "all":
        return base
    kind, _, value = scope.partition(":")
    if kind == "frame" and value:
        if sentence_frames is None:
            return base.iloc[0:0]
        known = sorted(set(sentence_frames["frame_id"].astype(str)))
        if value not in known:
            raise ValueError(f"'{value}' in {scope!r} is not a frame of this run.{did_you_mean(value, known)} "
                             f"Its frames: {', '.join(known) or 'none'}.")
        hit = sentence_frames[(sentence_frames["frame_id"].astype(str) == value) & sentence_frames["matched"].astype(bool)]
        return base[base["sentence_id"].isin(hit["sentence_id"])]
    if kind == "topic" and value.lstrip("-").isdigit() and "topic" in base.columns:
        topics = pd.to_numeric(base["topic"], errors="coerce")
        if int(value) not in set(topics.dropna().astype(int)):
            raise ValueError(f"{scope!r}: the run has no topic {int(value)}; its topics: "
                             f"{', '.join(map(str, sorted(set(topics.dropna().astype(int))))) or 'none'}.")
        return base[topics == int(value)]
    raise ValueError(f"Scope {scope!r} must be 'all', 'frame:FRAME_ID' or 'topic:N'.")

"""Lexical features of sentences, tokens and spans, and the gold labels they are learned from.

Everything here is a pure function of texts and offsets: hashed words (no
vocabulary to save), token context windows for the span tagger, and simple
surface cues (length, quotes, exclamation, capitals, how often a phrase
recurs in its document: the mark of repetition).

Examples
--------
>>> [(t, s, e) for t, s, e in tokens("They lied, again!")]
[('They', 0, 4), ('lied', 5, 9), (',', 9, 10), ('again', 11, 16), ('!', 16, 17)]
>>> overlaps([(0, 10), (20, 30)], [(5, 25)]).tolist()
[True, True]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

N_FEATURES = 2 ** 16
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words and punctuation marks of ``text`` with their offsets (``text[start:end]`` is the token)."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def overlaps(spans: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each span, whether it shares a character with any gold span (same coordinate system)."""
    if not len(spans):
        return np.zeros(0, bool)
    if not len(gold):
        return np.zeros(len(spans), bool)
    g = np.asarray(gold, dtype=np.int64)
    s = np.asarray(spans, dtype=np.int64)
    return ((s[:, None, 0] < g[None, :, 1]) & (g[None, :, 0] < s[:, None, 1])).any(axis=1)


def _hasher():
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=N_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2",
                             lowercase=True, token_pattern=r"(?u)\b\w[\w'-]*\b")


def text_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed word unigrams and bigrams (L2-normalised), shape (n_texts, N_FEATURES)."""
    return _vectorizer().transform([str(t) for t in texts]).tocsr()


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "UPPER"
    if word[:1].isupper():
        return "Title"
    if word.isdigit():
        return "digit"
    if not _WORD.search(word):
        return "punct"
    return "lower"


def _token_strings(words: list[str], i: int, in_quote: bool) -> list[str]:
    w = words[i].lower()
    out = [f"w={w}", f"s={_shape(words[i])}", f"suf={w[-3:]}", f"pre={w[:3]}", f"q={in_quote}"]
    for d in (-2, -1, 1, 2):
        j = i + d
        other = words[j].lower() if 0 <= j < len(words) else ("<s>" if j < 0 else "</s>")
        out.append(f"w{d}={other}")
    left = words[i - 1].lower() if i else "<s>"
    right = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    out += [f"bi-={left}|{w}", f"bi+={w}|{right}"]
    return out


def sentence_tokens(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every token of every sentence: sentence row, token text, offsets in the document, position.

    Parameters
    ----------
    sentences : DataFrame
        ``text`` and ``start`` (the sentence's offset in its document).

    Returns
    -------
    DataFrame with row (position of the sentence in ``sentences``), token, start, end (in the document),
    index (of the token in its sentence), n (tokens of the sentence), in_quote.
    """
    rows, toks, starts, ends, index, count, quoted = [], [], [], [], [], [], []
    for r, (text, offset) in enumerate(zip(sentences["text"].astype(str), sentences["start"].astype(int))):
        found = tokens(text)
        inside = False
        for k, (tok, s, e) in enumerate(found):
            if tok in {'"', "“", "”", "«", "»"}:
                inside = not inside
            rows.append(r)
            toks.append(tok)
            starts.append(offset + s)
            ends.append(offset + e)
            index.append(k)
            count.append(len(found))
            quoted.append(inside)
    return pd.DataFrame({"row": np.asarray(rows, dtype=np.int64), "token": toks,
                         "start": np.asarray(starts, dtype=np.int64), "end": np.asarray(ends, dtype=np.int64),
                         "index": np.asarray(index, dtype=np.int64), "n": np.asarray(count, dtype=np.int64),
                         "in_quote": np.asarray(quoted, dtype=bool)})


def token_features(toks: pd.DataFrame, sentence_scores: np.ndarray | None = None) -> sparse.csr_matrix:
    """Hashed features of each token: the word, its shape and affixes, two words each side, bigrams,
    whether it is inside quotes, and (when given) the bin of its sentence's propaganda score.

    Parameters
    ----------
    toks : DataFrame from :func:`sentence_tokens`
    sentence_scores : ndarray of shape (n_sentences,), optional
        A score in [0, 1] per sentence (rows of ``toks.row``).
    """
    feats: list[list[str]] = []
    for _, group in toks.groupby("row", sort=False):
        words = group["token"].tolist()
        quoted = group["in_quote"].tolist()
        feats += [_token_strings(words, i, quoted[i]) for i in range(len(words))]
    if sentence_scores is not None and len(toks):
        bins = np.minimum((np.asarray(sentence_scores)[toks["row"].to_numpy()] * 5).astype(int), 4)
        feats = [f + [f"sent={b}"] for f, b in zip(feats, bins)]
    return _hasher().transform(feats).tocsr() if feats else sparse.csr_matrix((0, N_FEATURES))


def surface_features(texts: Sequence[str], doc_texts: Sequence[str]) -> np.ndarray:
    """Surface cues of spans: log length (chars, words), quote, '!', '?', share of capitals, and the log
    count of the span's text in its document (repetition), shape (n, 7).

    >>> round(float(surface_features(["we will win"], ["we will win. we will win."])[0, -1]), 2)
    1.1
    """
    out = np.zeros((len(texts), 7), dtype=np.float32)
    for i, (t, doc) in enumerate(zip(texts, doc_texts)):
        t = str(t)
        letters = [c for c in t if c.isalpha()]
        key = t.strip().lower()
        repeats = str(doc).lower().count(key) if len(key) >= 3 else 1
        out[i] = [np.log1p(len(t)), np.log1p(len(t.split())), float('"' in t or "“" in t), float("!" in t),
                  float("?" in t), (sum(c.isupper() for c in letters) / len(letters)) if letters else 0.0,
                  np.log1p(max(repeats, 1))]
    return out


def sentence_labels(sentences: pd.DataFrame, spans: pd.DataFrame, technique_ids: list[str]) -> np.ndarray:
    """Gold sentence labels: a sentence has a technique when one of its spans shares a character with it.

    Parameters
    ----------
    sentences : DataFrame with doc_id, start, end
    spans : DataFrame with doc_id, technique_id, start, end
    technique_ids : list of str

    Returns
    -------
    ndarray of bool, shape (n_sentences, n_techniques)
    """
    Y = np.zeros((len(sentences), len(technique_ids)), dtype=bool)
    col = {t: j for j, t in enumerate(technique_ids)}
    by_doc = {d: g for d, g in spans.groupby("doc_id", sort=False)}
    pos = np.arange(len(sentences))
    for doc, idx in pd.Series(pos).groupby(sentences["doc_id"].to_numpy()).groups.items():
        g = by_doc.get(doc)
        if g is None:
            continue
        rows = np.asarray(list(idx))
        s = sentences["start"].to_numpy()[rows]
        e = sentences["end"].to_numpy()[rows]
        for tid, a, b in zip(g["technique_id"], g["start"], g["end"]):
            if tid not in col:
                continue
            hit = (s < b) & (a < e)
            Y[rows[hit], col[tid]] = True
    return Y


def token_labels(toks: pd.DataFrame, doc_of_row: np.ndarray, spans: pd.DataFrame) -> np.ndarray:
    """Gold token labels: the token lies inside a coded span (any technique), shape (n_tokens,)."""
    y = np.zeros(len(toks), dtype=bool)
    if not len(toks) or not len(spans):
        return y
    docs = doc_of_row[toks["row"].to_numpy()]
    by_doc = {d: g[["start", "end"]].to_numpy() for d, g in spans.groupby("doc_id", sort=False)}
    starts, ends = toks["start"].to_numpy(), toks["end"].to_numpy()
    for doc, idx in pd.Series(np.arange(len(toks))).groupby(docs).groups.items():
        g = by_doc.get(doc)
        if g is None:
            continue
        idx = np.asarray(list(idx))
        inside = (starts[idx, None] < g[None, :, 1]) & (g[None, :, 0] < ends[idx, None])
        y[idx] = inside.any(axis=1)
    return y

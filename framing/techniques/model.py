"""The trained technique detector: three linear models on frozen sentence embeddings and hashed words.

:class:`TechniqueModel` (scikit-learn contract) learns, from documents with
coded character spans:

1. **sentences**: one logistic regression per technique and one for "any
   technique" (propaganda or not), on the sentence's embedding next to its
   hashed words; each decision threshold is the one that maximises F1 on
   out-of-fold scores (folds by document);
   and the **gate** (:class:`~framing.techniques.gate.PropagandaGate`): the
   one classifier that decides "propaganda or not" per sentence (richer
   features, a logistic regression or a small network chosen by out-of-fold
   F1); a technique is decided only in sentences the gate passes;
2. **spans** (where): a token tagger, a logistic regression on each token's
   hashed context (the word, its shape, two words each side, quotes) and the
   bin of its sentence's out-of-fold gate score; consecutive tokens
   above the tagger's threshold (chosen on out-of-fold tokens) form a span;
3. **span techniques** (which): a multinomial logistic regression on a span's
   embedding, its sentence's embedding, its hashed words and surface cues
   (length, quotes, capitals, how often it recurs in the document).

No deep model is fine-tuned: all of it fits on two CPU cores in minutes.
The learned arrays are written to a NumPy ``.npz`` file beside the catalog
(:func:`save_model`; read back without pickle).

Examples
--------
>>> model = TechniqueModel(catalog).fit(sentences, vectors, spans, span_vectors)     # doctest: +SKIP
>>> proba = model.sentence_proba(sentences, vectors)                                 # doctest: +SKIP
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import CatalogError, NotFittedError
from .features import (sentence_labels, sentence_tokens, surface_features, text_features, token_features,
                       token_labels)
from .gate import PropagandaGate
from .persist import FORMAT, MODEL_SUFFIX, load_model, model_path, save_model  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

ANY = "any"
MIN_POSITIVES = 5


def _logistic(C: float, seed: int, multi: bool = False):
    from sklearn.linear_model import LogisticRegression

    if multi:
        return LogisticRegression(C=C, max_iter=300, random_state=seed, class_weight="balanced")
    return LogisticRegression(C=C, solver="liblinear", max_iter=300, random_state=seed, class_weight="balanced")


def best_f1_threshold(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold on ``scores`` that maximises F1 against ``y``, and that F1.

    >>> best_f1_threshold(np.array([.1, .4, .6, .9]), np.array([0, 0, 1, 1], bool))
    (0.6, 1.0)
    """
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], y[order].astype(bool)
    tp = np.cumsum(t)
    fp = np.cumsum(~t)
    pos = max(int(t.sum()), 1)
    f1 = 2 * tp / (tp + fp + pos)
    # only cut where the score changes
    last = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(last, f1, -1)
    k = int(np.argmax(f1))
    return float(s[k]), float(f1[k])


def _folds(groups: np.ndarray, n_splits: int, seed: int) -> list[np.ndarray]:
    """Fold number of every row; rows of one group (document) share a fold."""
    uniq = np.unique(groups)
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(uniq[rng.permutation(len(uniq))], np.arange(len(uniq)) % n_splits))
    return np.array([fold_of[g] for g in groups])


def _stack(vectors: np.ndarray, words: sparse.spmatrix) -> sparse.csr_matrix:
    return sparse.hstack([sparse.csr_matrix(np.asarray(vectors, dtype=np.float32)), words], format="csr")


def _lr_arrays(model) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(model.coef_, dtype=np.float32), np.asarray(model.intercept_, dtype=np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class TechniqueModel:
    """Sentence, span and span-technique classifiers learned from coded spans.

    Parameters
    ----------
    technique_ids : list of str
        The catalog's technique ids, in order.
    C : float
        Inverse regularisation of every logistic regression.
    folds : int
        Out-of-fold rounds (by document) that set the thresholds and the tagger's sentence feature.
    seed : int

    Attributes
    ----------
    sentence_coef_ : ndarray of shape (n_techniques + 1, dim + N_FEATURES)
        Per technique and, last, "any technique".
    sentence_intercept_, sentence_thresholds_ : ndarray of shape (n_techniques + 1,)
    document_thresholds_ : ndarray of shape (n_techniques + 1,)
        The best sentence score a document needs to use the technique (chosen on out-of-fold document F1,
        never below the sentence threshold).
    gate_ : PropagandaGate
        Propaganda or not, per sentence.
    tagger_coef_ : ndarray of shape (1, N_FEATURES); tagger_intercept_, tagger_threshold_
    span_coef_ : ndarray of shape (n_span_classes, 2 * dim + N_FEATURES + 7); span_intercept_
    span_classes_ : list of str
        Techniques the span classifier knows (those with coded spans).
    trained_ : list of str
        Techniques with a sentence classifier (at least MIN_POSITIVES coded sentences).
    dim_ : int
    """

    def __init__(self, technique_ids: list[str], C: float = 1.0, folds: int = 3, seed: int = 42):
        self.technique_ids = technique_ids
        self.C = C
        self.folds = folds
        self.seed = seed

    # -- fitting --------------------------------------------------------------------------------------------
    def fit(self, sentences: pd.DataFrame, vectors: np.ndarray, spans: pd.DataFrame,
            span_vectors: np.ndarray, doc_texts: dict | None = None) -> TechniqueModel:
        """Learn from sentences (rows aligned with ``vectors``) and coded spans.

        Parameters
        ----------
        sentences : DataFrame
            sentence_id, doc_id, start, end, text: the non-fragment sentences of the coded documents.
        vectors : ndarray of shape (n_sentences, dim)
        spans : DataFrame
            doc_id, technique_id, start, end (offsets into the document text).
        span_vectors : ndarray of shape (n_spans, dim)
            Embeddings of the spans' texts, rows aligned with ``spans``.
        doc_texts : dict of doc_id to str, optional
            The documents' texts (span texts and repetition counts); rebuilt from the sentences when absent.
        """
        if self.folds < 2:
            raise ValueError(f"The 'folds' parameter must be an int >= 2. Got {self.folds!r} instead.")
        if len(sentences) != len(vectors):
            raise ValueError(f"sentences has {len(sentences)} rows but vectors has {len(vectors)}.")
        ids = list(self.technique_ids)
        docs = sentences["doc_id"].astype(str).to_numpy()
        fold = _folds(docs, self.folds, self.seed)
        Y = sentence_labels(sentences, spans, ids)
        Y = np.column_stack([Y, Y.any(axis=1)])
        X = _stack(vectors, text_features(sentences["text"]))
        self.dim_ = int(np.asarray(vectors).shape[1])
        oof = np.zeros(Y.shape, dtype=np.float64)
        coefs, intercepts, thresholds, trained = [], [], [], []
        for j, name in enumerate([*ids, ANY]):
            y = Y[:, j]
            if y.sum() < MIN_POSITIVES or (~y).sum() < MIN_POSITIVES:
                coefs.append(np.zeros(X.shape[1], np.float32))
                intercepts.append(np.float32(-40.0))
                thresholds.append(1.0)
                continue
            for k in range(self.folds):
                train, test = fold != k, fold == k
                if y[train].sum() and (~y[train]).sum():
                    oof[test, j] = _logistic(self.C, self.seed).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
            thr, _ = best_f1_threshold(oof[:, j], y)
            coef, b = _lr_arrays(_logistic(self.C, self.seed).fit(X, y))
            coefs.append(coef[0])
            intercepts.append(b[0])
            thresholds.append(thr)
            trained.append(name)
        self.document_thresholds_ = self._document_thresholds(oof, Y, docs, np.asarray(thresholds))
        self.sentence_coef_ = np.vstack(coefs).astype(np.float32)
        self.sentence_intercept_ = np.asarray(intercepts, dtype=np.float32)
        self.sentence_thresholds_ = np.asarray(thresholds, dtype=np.float64)
        self.trained_ = [t for t in trained if t != ANY]
        toks = sentence_tokens(sentences)
        inside = token_labels(toks, docs, spans)
        self.gate_ = PropagandaGate(seed=self.seed).fit(sentences, vectors, toks, inside, Y[:, -1], fold)
        self._fit_tagger(toks, inside, self.gate_.oof_score_, fold)
        self._fit_spans(sentences, vectors, spans, span_vectors, doc_texts)
        return self

    @staticmethod
    def _document_thresholds(oof: np.ndarray, Y: np.ndarray, docs: np.ndarray, sentence: np.ndarray) -> np.ndarray:
        """Per technique, the best sentence score a document needs (F1 on out-of-fold scores, by document);
        never below the sentence threshold: a long article holds some sentence above a low threshold by chance."""
        frame = pd.DataFrame(oof).groupby(docs, sort=True).max().to_numpy()
        gold = pd.DataFrame(Y).groupby(docs, sort=True).max().to_numpy().astype(bool)
        out = np.array(sentence, dtype=np.float64)
        for j in range(Y.shape[1]):
            if gold[:, j].any() and (~gold[:, j]).any() and np.isfinite(out[j]) and out[j] < 1.0:
                out[j] = max(best_f1_threshold(frame[:, j], gold[:, j])[0], out[j])
        return out

    def _fit_tagger(self, toks: pd.DataFrame, y: np.ndarray, sent_oof: np.ndarray, fold: np.ndarray) -> None:
        X = token_features(toks, sent_oof)
        tfold = fold[toks["row"].to_numpy()]
        oof = np.zeros(len(y))
        for k in range(self.folds):
            train, test = tfold != k, tfold == k
            if y[train].sum() and (~y[train]).sum():
                oof[test] = _logistic(self.C, self.seed).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
        self.tagger_threshold_, self.tagger_oof_f1_ = best_f1_threshold(oof, y)
        coef, b = _lr_arrays(_logistic(self.C, self.seed).fit(X, y))
        self.tagger_coef_, self.tagger_intercept_ = coef, b

    def _fit_spans(self, sentences, vectors, spans, span_vectors, doc_texts) -> None:
        if len(spans) != len(span_vectors):
            raise ValueError(f"spans has {len(spans)} rows but span_vectors has {len(span_vectors)}.")
        texts = doc_texts or document_texts(sentences)
        known = spans["technique_id"].isin(self.technique_ids).to_numpy()
        spans, span_vectors = spans[known].reset_index(drop=True), np.asarray(span_vectors)[known]
        X = self.span_matrix(spans, span_vectors, sentences, vectors, texts)
        y = spans["technique_id"].astype(str).to_numpy()
        classes = sorted(set(y))
        if len(classes) < 2:
            raise CatalogError("The coded spans name fewer than two techniques of the catalog; a span classifier "
                               "needs at least two. Code more techniques, or check the technique names against "
                               "the catalog's ids and aliases.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lbfgs convergence notes on sparse text are not the user's business
            clf = _logistic(self.C, self.seed, multi=True).fit(X, y)
        self.span_classes_ = [str(c) for c in clf.classes_]
        self.span_coef_, self.span_intercept_ = _lr_arrays(clf)

    # -- features -------------------------------------------------------------------------------------------
    @staticmethod
    def span_matrix(spans: pd.DataFrame, span_vectors: np.ndarray, sentences: pd.DataFrame, vectors: np.ndarray,
                    doc_texts: dict) -> sparse.csr_matrix:
        """Features of spans: own embedding, the embedding of the sentence holding its start, hashed words,
        surface cues. ``spans`` needs doc_id, start, end."""
        texts = [doc_texts[d][a:b] for d, a, b in zip(spans["doc_id"].astype(str), spans["start"], spans["end"])]
        row = sentence_rows(sentences, spans)
        ctx = np.asarray(vectors)[np.maximum(row, 0)] * (row >= 0)[:, None]
        surf = surface_features(texts, [doc_texts[d] for d in spans["doc_id"].astype(str)])
        dense = np.hstack([np.asarray(span_vectors, dtype=np.float32), ctx.astype(np.float32), surf])
        return sparse.hstack([sparse.csr_matrix(dense), text_features(texts)], format="csr")

    # -- prediction -----------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "sentence_coef_"):
            raise NotFittedError("This TechniqueModel is not fitted yet. Call fit() or load a saved model.")

    def sentence_proba(self, sentences: pd.DataFrame, vectors: np.ndarray) -> np.ndarray:
        """Probabilities of every technique and, last column, of any technique.

        Returns
        -------
        ndarray of shape (n_sentences, n_techniques + 1)
        """
        self._check_fitted()
        if not len(sentences):
            return np.zeros((0, len(self.technique_ids) + 1))
        X = _stack(vectors, text_features(sentences["text"]))
        return _sigmoid(np.asarray(X @ self.sentence_coef_.T) + self.sentence_intercept_)

    def gate_proba(self, sentences: pd.DataFrame, vectors: np.ndarray, toks: pd.DataFrame) -> np.ndarray:
        """The sentence gate's "propaganda or not" score, shape (n_sentences,); it passes at ``gate_.threshold_``."""
        self._check_fitted()
        return self.gate_.predict_proba(sentences, vectors, toks)

    def token_proba(self, toks: pd.DataFrame, sentence_any: np.ndarray) -> np.ndarray:
        """Per token, the probability that it lies inside a technique span, shape (n_tokens,)."""
        self._check_fitted()
        if not len(toks):
            return np.zeros(0)
        X = token_features(toks, sentence_any)
        return _sigmoid(np.asarray(X @ self.tagger_coef_.T).ravel() + self.tagger_intercept_[0])

    def span_proba(self, X: sparse.spmatrix) -> np.ndarray:
        """Per span, the probability of each technique of ``span_classes_``, shape (n_spans, n_classes)."""
        self._check_fitted()
        if X.shape[0] == 0:
            return np.zeros((0, len(self.span_classes_)))
        z = np.asarray(X @ self.span_coef_.T) + self.span_intercept_
        if len(self.span_classes_) == 2:  # sklearn keeps one column for two classes
            z = np.column_stack([-z[:, 0] / 2, z[:, 0] / 2]) if z.shape[1] == 1 else z
        return _softmax(z)

    def info(self) -> dict:
        return {"trained": list(self.trained_), "span_classes": list(self.span_classes_),
                "thresholds": {t: round(float(v), 4) for t, v in
                               zip([*self.technique_ids, ANY], self.sentence_thresholds_)},
                "document_thresholds": {t: round(float(v), 4) for t, v in
                                        zip([*self.technique_ids, ANY], self.document_thresholds_)},
                "tagger_threshold": round(float(self.tagger_threshold_), 4),
                "gate": {"learner": self.gate_.learner_, "threshold": round(float(self.gate_.threshold_), 4),
                         "out_of_fold_f1": self.gate_.oof_f1_}}


def document_texts(sentences: pd.DataFrame) -> dict:
    """Each document's text rebuilt from its sentences' offsets (spaces between them), so offsets still hold."""
    out = {}
    for doc, g in sentences.groupby(sentences["doc_id"].astype(str), sort=False):
        n = int(g["end"].max()) if len(g) else 0
        buf = [" "] * n
        for s, t in zip(g["start"].astype(int), g["text"].astype(str)):
            buf[s:s + len(t)] = list(t)
        out[doc] = "".join(buf)
    return out


def sentence_rows(sentences: pd.DataFrame, spans: pd.DataFrame) -> np.ndarray:
    """Position in ``sentences`` of the sentence holding each span's start (-1 when none)."""
    out = np.full(len(spans), -1, dtype=np.int64)
    if not len(spans) or not len(sentences):
        return out
    pos = pd.Series(np.arange(len(sentences)))
    groups = pos.groupby(sentences["doc_id"].astype(str).to_numpy()).groups
    s_start, s_end = sentences["start"].to_numpy(), sentences["end"].to_numpy()
    for i, (doc, a) in enumerate(zip(spans["doc_id"].astype(str), spans["start"].astype(int))):
        rows = groups.get(doc)
        if rows is None:
            continue
        rows = np.asarray(list(rows))
        hit = rows[(s_start[rows] <= a) & (a < s_end[rows])]
        if not len(hit):  # a span starting in the whitespace between sentences: the next sentence
            after = rows[s_start[rows] > a]
            hit = after[np.argsort(s_start[after])][:1]
        if len(hit):
            out[i] = hit[0]
    return out

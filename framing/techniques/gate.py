"""Propaganda or not, per sentence: the gate every trained technique decision passes through.

A sentence "uses propaganda" when a coded span touches it (NLP4IF-2019
sentence level). Deciding that as "a technique classifier passes *or* the
span tagger found a fragment in it" marks nearly every sentence (last
round: recall 0.98, precision 0.33); so one classifier decides it, and the
technique classifiers and the tagger only say *which* device and *where*
inside the sentences it passes.

Its features, all computed from the sentence and its document:

- the sentence's frozen embedding and hashed words (as the technique classifiers);
- surface cues (:func:`sentence_cues`): length, '!', '?', quotes, share of
  capitals, words in capitals, superlatives;
- a learned word lexicon (:func:`fit_word_rates`): per word, the share of
  its training occurrences that lie inside a coded span; a sentence gets
  the highest rate of its words, the mean of its three highest, and how many
  of its words are more often inside a span than not. Loaded language and
  name calling are single words, which a sum of word weights (the hashed
  words in a linear model) dilutes in a long sentence;
- for the small neural network, the embeddings of the previous and next
  sentence of the same document.

Two learners are fitted, a logistic regression (embedding, hashed words,
cues, lexicon) and a one-hidden-layer network (embedding, neighbours, cues,
lexicon); the gate keeps the one, or the mean of both, with the best
out-of-fold F1 on the training documents (folds by document), and its
threshold is the one that maximises that F1. Held-out documents are never
looked at. Everything learned is a NumPy array (saved without pickle).

Examples
--------
>>> [round(float(x), 2) for x in sentence_cues(["They are the WORST liars ever!"])[0]]
[1.95, 0.69, 0.0, 0.0, 0.25, 0.69, 0.69]
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import NotFittedError
from .features import text_features

LEARNERS = ("logistic", "mlp", "mean")
N_CUES = 7
N_LEXICON = 3
_SUPERLATIVE = re.compile(r"\b(?:most|least|best|worst|greatest|biggest|largest|\w{3,}iest)\b", re.IGNORECASE)
_QUOTES = ('"', "“", "”", "«", "»")


def sentence_cues(texts) -> np.ndarray:
    """Surface cues of sentences: log1p of words, '!', '?', quote marks, words in capitals, superlatives,
    and the share of capital letters, shape (n, 7)."""
    out = np.zeros((len(texts), N_CUES), dtype=np.float32)
    for i, t in enumerate(map(str, texts)):
        words = t.split()
        letters = [c for c in t if c.isalpha()]
        caps = sum(1 for w in words if len(w) > 1 and w.isupper())
        out[i] = [np.log1p(len(words)), np.log1p(t.count("!")), np.log1p(t.count("?")),
                  np.log1p(sum(t.count(q) for q in _QUOTES)),
                  (sum(c.isupper() for c in letters) / len(letters)) if letters else 0.0,
                  np.log1p(caps), np.log1p(len(_SUPERLATIVE.findall(t)))]
    return out


def fit_word_rates(words: np.ndarray, inside: np.ndarray, smoothing: float = 5.0) -> tuple[np.ndarray, np.ndarray,
                                                                                           float]:
    """Per lower-cased word, the smoothed share of its occurrences inside a coded span.

    Returns
    -------
    vocabulary : ndarray of str, rates : ndarray of float (same length), prior : float (the overall share)
    """
    inside = np.asarray(inside, bool)
    prior = float(inside.mean()) if len(inside) else 0.0
    if not len(words):
        return np.array([], dtype=str), np.zeros(0), prior
    counts = pd.DataFrame({"w": np.asarray(words, dtype=str), "y": inside}).groupby("w")["y"].agg(["sum", "size"])
    rates = (counts["sum"].to_numpy() + smoothing * prior) / (counts["size"].to_numpy() + smoothing)
    return counts.index.to_numpy(dtype=str), rates.astype(np.float64), prior


def word_rate_features(words: np.ndarray, rows: np.ndarray, n_sentences: int, vocabulary: np.ndarray,
                       rates: np.ndarray, prior: float) -> np.ndarray:
    """Per sentence: the highest word rate, the mean of the three highest, log1p of words above one half,
    shape (n_sentences, 3). Unknown words get the prior."""
    out = np.zeros((n_sentences, N_LEXICON), dtype=np.float32)
    if not len(words):
        return out
    score = pd.Series(np.asarray(words, dtype=str)).map(dict(zip(vocabulary, rates))).fillna(prior).to_numpy()
    frame = pd.DataFrame({"r": rows, "s": score}).sort_values(["r", "s"], ascending=[True, False])
    g = frame.groupby("r")["s"]
    top = frame.assign(k=g.cumcount())
    out[g.max().index, 0] = g.max().to_numpy()
    top3 = top[top["k"] < 3].groupby("r")["s"].mean()
    out[top3.index, 1] = top3.to_numpy()
    above = frame.assign(a=frame["s"] > 0.5).groupby("r")["a"].sum()
    out[above.index, 2] = np.log1p(above.to_numpy())
    return out


def neighbour_vectors(sentences: pd.DataFrame, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The embeddings of the previous and next sentence of the same document (zeros at its ends)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    prev, nxt = np.zeros_like(vectors), np.zeros_like(vectors)
    if not len(sentences):
        return prev, nxt
    order = np.lexsort((sentences["start"].to_numpy(), sentences["doc_id"].astype(str).to_numpy()))
    docs = sentences["doc_id"].astype(str).to_numpy()[order]
    same = docs[1:] == docs[:-1]
    prev[order[1:][same]] = vectors[order[:-1][same]]
    nxt[order[:-1][same]] = vectors[order[1:][same]]
    return prev, nxt


def _relu(z):
    return np.maximum(z, 0.0)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class PropagandaGate:
    """The sentence-level "propaganda or not" classifier (see the module docstring).

    Parameters
    ----------
    C : float
        Inverse regularisation of the logistic regression.
    hidden : int
        Units of the network's hidden layer.
    seed : int

    Attributes
    ----------
    learner_ : str
        ``logistic``, ``mlp`` or ``mean``: the best out-of-fold F1 on the training documents.
    threshold_ : float
        The learner's out-of-fold F1-optimal threshold.
    oof_f1_ : dict of str to float
        Out-of-fold F1 of each learner (the comparison, for the record).
    oof_score_ : ndarray of shape (n_training_sentences,)
        The chosen learner's out-of-fold scores.
    vocabulary_, rates_, prior_ : the word lexicon
    mean_, scale_ : standardisation of the cues and lexicon features
    lr_coef_, lr_intercept_ : the logistic regression
    mlp_w1_, mlp_b1_, mlp_w2_, mlp_b2_ : the network
    """

    def __init__(self, C: float = 0.5, hidden: int = 64, seed: int = 42):
        self.C = C
        self.hidden = hidden
        self.seed = seed

    # -- design matrices -------------------------------------------------------------------------------------
    def _dense(self, sentences, toks, vocabulary, rates, prior) -> np.ndarray:
        words = toks["token"].str.lower().to_numpy(dtype=str) if len(toks) else np.array([], dtype=str)
        rows = toks["row"].to_numpy() if len(toks) else np.array([], dtype=int)
        lex = word_rate_features(words, rows, len(sentences), vocabulary, rates, prior)
        return np.hstack([sentence_cues(sentences["text"].tolist()), lex])

    @staticmethod
    def _lr_matrix(vectors, texts, dense) -> sparse.csr_matrix:
        return sparse.hstack([sparse.csr_matrix(np.asarray(vectors, dtype=np.float32)), text_features(texts),
                              sparse.csr_matrix(dense.astype(np.float32))], format="csr")

    @staticmethod
    def _mlp_matrix(sentences, vectors, dense) -> np.ndarray:
        prev, nxt = neighbour_vectors(sentences, vectors)
        return np.hstack([np.asarray(vectors, np.float32), prev, nxt, dense.astype(np.float32)])

    # -- fitting ---------------------------------------------------------------------------------------------
    def _oof_dense(self, sentences, toks, inside, fold) -> np.ndarray:
        """Cues and lexicon features of training sentences, the lexicon of each fold learned on the others."""
        words = toks["token"].str.lower().to_numpy(dtype=str)
        tfold = fold[toks["row"].to_numpy()]
        out = np.zeros((len(sentences), N_CUES + N_LEXICON), dtype=np.float32)
        for k in np.unique(fold):
            vocab, rates, prior = fit_word_rates(words[tfold != k], inside[tfold != k])
            rows = fold == k
            sub = toks[tfold == k].assign(row=np.searchsorted(np.flatnonzero(rows), toks["row"][tfold == k]))
            out[rows] = self._dense(sentences[rows].reset_index(drop=True), sub, vocab, rates, prior)
        return out

    def _learners(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.neural_network import MLPClassifier

        return {"logistic": lambda: LogisticRegression(C=self.C, solver="liblinear", max_iter=300,
                                                       random_state=self.seed, class_weight="balanced"),
                "mlp": lambda: MLPClassifier((self.hidden,), alpha=1e-2, max_iter=60, early_stopping=True,
                                             random_state=self.seed)}

    def fit(self, sentences: pd.DataFrame, vectors: np.ndarray, toks: pd.DataFrame, inside: np.ndarray,
            y: np.ndarray, fold: np.ndarray) -> PropagandaGate:
        """Learn from training sentences.

        Parameters
        ----------
        sentences : DataFrame with doc_id, start, text (rows aligned with ``vectors`` and ``y``)
        vectors : ndarray of shape (n_sentences, dim)
        toks : DataFrame from :func:`framing.techniques.features.sentence_tokens` of ``sentences``
        inside : ndarray of bool, shape (n_tokens,): the token lies inside a coded span
        y : ndarray of bool, shape (n_sentences,): a coded span touches the sentence
        fold : ndarray of int, shape (n_sentences,): the out-of-fold round of each sentence (by document)
        """
        y = np.asarray(y, bool)
        sentences = sentences.reset_index(drop=True)
        words = toks["token"].str.lower().to_numpy(dtype=str)
        self.vocabulary_, self.rates_, self.prior_ = fit_word_rates(words, inside)
        dense = self._oof_dense(sentences, toks, np.asarray(inside, bool), fold)
        self.mean_, self.scale_ = dense.mean(axis=0), dense.std(axis=0) + 1e-6
        dense = (dense - self.mean_) / self.scale_
        X = {"logistic": self._lr_matrix(vectors, sentences["text"].tolist(), dense),
             "mlp": self._mlp_matrix(sentences, vectors, dense)}
        make = self._learners()
        oof = {name: np.zeros(len(y)) for name in make}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notes of the network's early stopping on small data
            for name in make:
                for k in np.unique(fold):
                    tr, te = fold != k, fold == k
                    if y[tr].any() and (~y[tr]).any():
                        oof[name][te] = make[name]().fit(X[name][tr], y[tr]).predict_proba(X[name][te])[:, 1]
            oof["mean"] = (oof["logistic"] + oof["mlp"]) / 2
            from .model import best_f1_threshold

            best = {name: best_f1_threshold(oof[name], y) for name in LEARNERS}
            self.oof_f1_ = {name: round(best[name][1], 4) for name in LEARNERS}
            self.learner_ = max(LEARNERS, key=lambda n: (best[n][1], -LEARNERS.index(n)))
            self.threshold_ = best[self.learner_][0]
            self.oof_score_ = oof[self.learner_]
            lr = make["logistic"]().fit(X["logistic"], y)
            mlp = make["mlp"]().fit(X["mlp"], y)
        self.lr_coef_ = lr.coef_[0].astype(np.float32)
        self.lr_intercept_ = np.float32(lr.intercept_[0])
        self.mlp_w1_, self.mlp_w2_ = (np.asarray(w, np.float32) for w in mlp.coefs_)
        self.mlp_b1_, self.mlp_b2_ = (np.asarray(b, np.float32) for b in mlp.intercepts_)
        return self

    # -- prediction ------------------------------------------------------------------------------------------
    def predict_proba(self, sentences: pd.DataFrame, vectors: np.ndarray, toks: pd.DataFrame) -> np.ndarray:
        """The gate's score of each sentence, shape (n_sentences,); compare with ``threshold_``."""
        if not hasattr(self, "learner_"):
            raise NotFittedError("This PropagandaGate is not fitted yet. Call fit() or load a saved model.")
        sentences = sentences.reset_index(drop=True)
        if not len(sentences):
            return np.zeros(0)
        dense = (self._dense(sentences, toks, self.vocabulary_, self.rates_, self.prior_) - self.mean_) / self.scale_
        out = []
        if self.learner_ in ("logistic", "mean"):
            X = self._lr_matrix(vectors, sentences["text"].tolist(), dense)
            out.append(_sigmoid(np.asarray(X @ self.lr_coef_).ravel() + self.lr_intercept_))
        if self.learner_ in ("mlp", "mean"):
            h = _relu(self._mlp_matrix(sentences, vectors, dense) @ self.mlp_w1_ + self.mlp_b1_)
            out.append(_sigmoid((h @ self.mlp_w2_).ravel() + self.mlp_b2_[0]))
        return np.mean(out, axis=0)

    # -- persistence (plain arrays) --------------------------------------------------------------------------
    ARRAYS = ("vocabulary_", "rates_", "mean_", "scale_", "lr_coef_", "lr_intercept_", "mlp_w1_", "mlp_b1_",
              "mlp_w2_", "mlp_b2_")

    def to_arrays(self) -> tuple[dict, dict]:
        """(arrays, header): what :meth:`from_arrays` reads back."""
        arrays = {f"gate_{n}": np.asarray(getattr(self, n)) for n in self.ARRAYS}
        header = {"C": self.C, "hidden": self.hidden, "seed": self.seed, "learner": self.learner_,
                  "threshold": float(self.threshold_), "prior": float(self.prior_), "oof_f1": self.oof_f1_}
        return arrays, header

    @classmethod
    def from_arrays(cls, data, header: dict) -> PropagandaGate:
        gate = cls(C=header["C"], hidden=header["hidden"], seed=header["seed"])
        for n in cls.ARRAYS:
            setattr(gate, n, np.array(data[f"gate_{n}"]))
        gate.lr_intercept_ = np.float32(gate.lr_intercept_)
        gate.learner_, gate.threshold_ = str(header["learner"]), float(header["threshold"])
        gate.prior_, gate.oof_f1_ = float(header["prior"]), dict(header["oof_f1"])
        return gate

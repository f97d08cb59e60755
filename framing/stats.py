"""The statistics of comparison, on plain numpy arrays.

Sentences cluster in documents: two sentences of one article are not two
independent draws. Every sentence-level interval and test here therefore
treats the *document* as the unit of sampling (a share of sentences is a
ratio estimator, sum of matched sentences over sum of sentences, across
documents).

- :func:`bootstrap_sums`: THE bootstrap of the package. Replicates of the
  column sums of per-unit arrays (units: documents, pages, labelled items),
  every array resampled with the same draws (paired). Every interval of
  ``compare``, ``compare.audience`` and ``frames.evaluate`` is computed from
  its replicates.
- :func:`cluster_bootstrap`: percentile interval of a ratio of sums from a
  seeded bootstrap over documents (Efron & Tibshirani 1993; resampling
  whole clusters, Field & Welsh 2007).
- :func:`cluster_variance`: the linearised (cluster-robust) variance of the
  same ratio, for the Wald test :func:`wald_pvalues`.
- :func:`wilson_interval`: the Wilson score interval of a share of documents.
- :func:`fisher_pvalues`: Fisher's exact test of two shares of documents.
- :func:`benjamini_hochberg`: false-discovery-rate adjusted p-values (1995).
- :func:`jensen_shannon`: divergence of two distributions (base 2, in [0, 1]).
- :func:`log_odds_dirichlet`: weighted log-odds ratios with an informative
  Dirichlet prior and their z-scores (Monroe, Colaresi & Quinn 2008).
"""

from __future__ import annotations

import math
import zlib

import numpy as np

Z95 = 1.959963984540054


def seeded_rng(seed: int, *names: object) -> np.random.Generator:
    """A generator that depends only on ``seed`` and ``names`` (not on call order).

    >>> float(seeded_rng(1, "source", "fox").random()) == float(seeded_rng(1, "source", "fox").random())
    True
    """
    keys = [zlib.crc32(str(n).encode("utf-8")) for n in names]
    return np.random.default_rng([int(seed), *keys])


def bootstrap_weights(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of ``n`` units is drawn in each of ``n_boot`` resamples with replacement.

    One multinomial draw of shape ``(n_boot, n)``: row ``b`` counts the units of
    resample ``b`` (each row sums to ``n``). The one place that draws bootstrap
    resamples, so every interval of the package is the same bootstrap.

    Parameters
    ----------
    n : int
        Units (documents, pages, labelled items); 0 gives an empty ``(n_boot, 0)`` array.
    n_boot : int
        Resamples.
    rng : numpy Generator
        Seeded from the config's seed (see :func:`seeded_rng`).

    Returns
    -------
    weights : ndarray of shape (n_boot, n) of float

    Examples
    --------
    >>> w = bootstrap_weights(4, 3, np.random.default_rng(0))
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    if n == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)


def bootstrap_sums(*arrays: np.ndarray, n_boot: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Bootstrap replicates of the sums over units of each array, all from the same resamples.

    Parameters
    ----------
    *arrays : ndarray of shape (n_units,) or (n_units, n_items)
        Per-unit values; the first axis is the unit that is resampled (a
        document, a page, a labelled item). Resampling all arrays with the same
        draws keeps them paired (a ratio's numerator and denominator, an
        outlet's and its audience's counts on the same pages).
    n_boot : int
        Resamples.
    rng : numpy Generator

    Returns
    -------
    tuple of ndarray, one per array, of shape (n_boot,) or (n_boot, n_items)
        Replicate ``b`` of ``arrays[i]`` is ``weights[b] @ arrays[i]``.

    Examples
    --------
    >>> y = np.array([[1.0], [0.0], [2.0]]); m = np.array([2.0, 2.0, 2.0])
    >>> num, den = bootstrap_sums(y, m, n_boot=100, rng=np.random.default_rng(0))
    >>> num.shape, den.shape, bool((den == 6).all())
    ((100, 1), (100,), True)
    """
    n = len(arrays[0]) if arrays else 0
    weights = bootstrap_weights(n, n_boot, rng)
    return tuple(weights @ a for a in arrays)


def cluster_bootstrap(y: np.ndarray, m: np.ndarray, n_boot: int, rng: np.random.Generator,
                      level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of ``sum(y) / sum(m)`` from resampling documents.

    Parameters
    ----------
    y : ndarray of shape (n_documents, n_items)
        Per document, the sentences counted for each item (matched, in the topic).
    m : ndarray of shape (n_documents,)
        Per document, the sentences in the denominator (all > 0).
    n_boot : int
        Bootstrap resamples.
    rng : numpy Generator
    level : float

    Returns
    -------
    low, high : ndarray of shape (n_items,)
        NaN when there is no document. One document gives a zero-width
        interval (nothing to resample): flag such groups, do not trust it.

    Examples
    --------
    >>> y = np.array([[1], [0], [2]]); m = np.array([2, 2, 2])
    >>> lo, hi = cluster_bootstrap(y, m, 200, np.random.default_rng(0))
    >>> bool(0 <= lo[0] <= 0.5 <= hi[0] <= 1)
    True
    """
    y = np.asarray(y, dtype=float)
    m = np.asarray(m, dtype=float)
    n, k = y.shape
    if n == 0:
        return np.full(k, np.nan), np.full(k, np.nan)
    num, den = bootstrap_sums(y, m, n_boot=n_boot, rng=rng)
    shares = num / den[:, None]
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(shares, [alpha, 1.0 - alpha], axis=0)
    return low, high


def cluster_variance(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Cluster-robust variance of the ratio ``sum(y) / sum(m)`` over documents.

    ``n / (n - 1) * sum_d (y_d - p m_d)^2 / (sum_d m_d)^2`` (the linearised
    variance of a ratio estimator, with the small-sample factor). NaN for
    fewer than two documents.

    >>> v = cluster_variance(np.array([[1.0], [3.0]]), np.array([2.0, 4.0]))
    >>> round(float(v[0]), 6)   # p = 4/6; residuals 1-4/3, 3-8/3; 2 * (1/9 + 1/9) / 36
    0.012346
    """
    y = np.asarray(y, dtype=float)
    m = np.asarray(m, dtype=float)
    # The group's own share is the centre; under the null the pooled share is (see below).
    return pooled_cluster_variance(y, m, y.sum(axis=0) / m.sum() if m.sum() else np.zeros(y.shape[1]))


def pooled_cluster_variance(y: np.ndarray, m: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """Cluster-robust variance of ``sum(y) / sum(m)`` around a given share ``p0`` (under the null).

    The same as :func:`cluster_variance` with the residuals ``y_d - p0 m_d``: a group that
    never uses an item still has a variance when the pooled share is not 0, so a share of 0
    in two documents is not "significant" against the rest.

    >>> v = pooled_cluster_variance(np.array([[0.0], [0.0]]), np.array([2.0, 2.0]), np.array([0.25]))
    >>> round(float(v[0]), 6)   # 2 * (0.25 + 0.25) / 16
    0.0625
    """
    y = np.asarray(y, dtype=float)
    m = np.asarray(m, dtype=float)
    n = y.shape[0]
    if n < 2:
        return np.full(y.shape[1], np.nan)
    resid = y - np.outer(m, np.asarray(p0, dtype=float))
    return n / (n - 1) * (resid ** 2).sum(axis=0) / m.sum() ** 2


def normal_two_sided(z: np.ndarray) -> np.ndarray:
    """Two-sided p-value of standard normal z-scores."""
    z = np.abs(np.asarray(z, dtype=float))
    return np.array([math.erfc(v / math.sqrt(2.0)) if np.isfinite(v) else np.nan for v in z.ravel()]).reshape(z.shape)


def wald_pvalues(p1: np.ndarray, v1: np.ndarray, p2: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Two-sided p-values of ``p1 - p2`` with independent variances ``v1 + v2``.

    Equal shares give 1; different shares with zero variance on both sides
    (every document the same) give 0; an unknown variance (a one-document
    group) gives NaN: not testable.

    >>> wald_pvalues(np.array([0.5, 0.2]), np.array([0.01, 0.0]), np.array([0.3, 0.2]), np.array([0.01, 0.0])).round(4).tolist()
    [0.1573, 1.0]
    """
    p1, p2 = np.asarray(p1, float), np.asarray(p2, float)
    se = np.sqrt(np.asarray(v1, float) + np.asarray(v2, float))
    out = np.full(p1.shape, np.nan)
    same = p1 == p2
    out[same] = 1.0
    out[~same & (se == 0)] = 0.0
    ok = ~same & np.isfinite(se) & (se > 0)
    out[ok] = normal_two_sided((p1[ok] - p2[ok]) / se[ok])
    return out


def wilson_interval(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``k / n`` (NaN where n == 0).

    >>> lo, hi = wilson_interval(np.array([0, 5]), np.array([10, 10]))
    >>> [round(float(x), 4) for x in (lo[0], hi[0], lo[1], hi[1])]
    [0.0, 0.2775, 0.2366, 0.7634]
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z ** 2 / n
        centre = (p + z ** 2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / denom
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    low[n == 0], high[n == 0] = np.nan, np.nan
    return low, high


def _fisher_one(a: int, n1: int, b: int, n2: int) -> float:
    """Two-sided Fisher exact p-value from the hypergeometric log-pmf over the whole support."""
    from scipy.special import gammaln

    k = a + b
    n = n1 + n2
    lo, hi = max(0, k - n2), min(k, n1)
    x = np.arange(lo, hi + 1)
    logp = (gammaln(n1 + 1) - gammaln(x + 1) - gammaln(n1 - x + 1) + gammaln(n2 + 1) - gammaln(k - x + 1)
            - gammaln(n2 - k + x + 1) - gammaln(n + 1) + gammaln(k + 1) + gammaln(n - k + 1))
    observed = logp[a - lo]
    # the same relative tolerance as scipy's fisher_exact, so ties count as "as extreme"
    p = np.exp(logp[logp <= observed + np.log1p(1e-7)]).sum()
    return float(min(1.0, p))


def fisher_pvalues(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided Fisher exact p-values of ``k1/n1`` against ``k2/n2`` (NaN when a side is empty).

    Computed from the hypergeometric distribution directly (the same values as
    ``scipy.stats.fisher_exact``, without its per-call overhead: a comparison of
    hundreds of sources runs tens of thousands of tests).

    >>> fisher_pvalues(np.array([8]), np.array([10]), np.array([1]), np.array([10])).round(4).tolist()
    [0.0055]
    """
    out = np.full(len(k1), np.nan)
    for i, (a, na, b, nb) in enumerate(zip(k1, n1, k2, n2)):
        if na > 0 and nb > 0:
            out[i] = _fisher_one(int(a), int(na), int(b), int(nb))
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted.

    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, np.nan])).round(4).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if not len(ok):
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    n = len(order)
    ranked = p[order] * n / np.arange(1, n + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out[order] = np.minimum(ranked, 1.0)
    return out


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence (base 2, in [0, 1]) of two count or probability vectors.

    NaN when either vector sums to zero (a group without any topic or frame).

    >>> jensen_shannon(np.array([1, 0]), np.array([0, 1])), jensen_shannon(np.array([2, 2]), np.array([1, 1]))
    (1.0, 0.0)
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.sum() <= 0 or q.sum() <= 0:
        return float("nan")
    p, q = p / p.sum(), q / q.sum()
    mid = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float((a[nz] * np.log2(a[nz] / mid[nz])).sum())

    return max(0.0, 0.5 * kl(p) + 0.5 * kl(q))


def log_odds_dirichlet(y_i: np.ndarray, y_j: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds ratio of each word in group i against group j, and its z-score.

    Monroe, Colaresi & Quinn (2008), eq. 16-22:
    ``delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))``,
    ``var(delta_w) ~ 1 / (y_iw + a_w) + 1 / (y_jw + a_w)``, ``z = delta / sqrt(var)``.

    Parameters
    ----------
    y_i, y_j : ndarray of shape (n_words,)
        Word counts in the two groups.
    prior : ndarray of shape (n_words,)
        Dirichlet pseudo-counts ``a_w`` (all > 0); ``a0`` is their sum.

    Returns
    -------
    delta, z : ndarray of shape (n_words,)

    Examples
    --------
    >>> d, z = log_odds_dirichlet(np.array([10, 0]), np.array([0, 10]), np.array([1.0, 1.0]))
    >>> round(float(d[0]), 4), round(float(z[0]), 4)   # log(11/1) - log(1/11) = 2 log 11; var 1/11 + 1
    (4.7958, 4.5916)
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    a = np.asarray(prior, dtype=float)
    a0 = a.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log((y_i + a) / (n_i + a0 - y_i - a)) - np.log((y_j + a) / (n_j + a0 - y_j - a)))
    var = 1.0 / (y_i + a) + 1.0 / (y_j + a)
    return delta, delta / np.sqrt(var)

"""Every statistic of framing.stats against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from framing.stats import (benjamini_hochberg, cluster_bootstrap, cluster_variance, fisher_pvalues,
                                   jensen_shannon, log_odds_dirichlet, seeded_rng, wald_pvalues, wilson_interval)


def test_cluster_variance_by_hand():
    y = np.array([[1.0, 0.0], [3.0, 2.0], [0.0, 0.0]])
    m = np.array([2.0, 4.0, 2.0])
    # item 0: p = 4/8 = .5; residuals 1-1, 3-2, 0-1 -> 0, 1, 1; 3/2 * 2 / 64
    # item 1: p = 2/8 = .25; residuals 0-.5, 2-1, 0-.5 -> .25+1+.25 = 1.5; 3/2 * 1.5 / 64
    assert cluster_variance(y, m) == pytest.approx([3 / 64, 2.25 / 64])
    assert np.isnan(cluster_variance(y[:1], m[:1])).all()  # one document: no variance to estimate


def test_wald_and_fisher_by_hand():
    p = wald_pvalues(np.array([0.5]), np.array([0.01]), np.array([0.3]), np.array([0.03]))
    assert p[0] == pytest.approx(math.erfc(0.2 / math.sqrt(0.04) / math.sqrt(2)))
    # Fisher: [[8, 2], [1, 9]]: tables at least as extreme, hypergeometric with 9 successes in 20, 10 drawn
    from math import comb
    probs = {a: comb(9, a) * comb(11, 10 - a) / comb(20, 10) for a in range(0, 10)}
    observed = probs[8]
    expected = sum(pr for pr in probs.values() if pr <= observed * (1 + 1e-7))
    assert fisher_pvalues(np.array([8]), np.array([10]), np.array([1]), np.array([10]))[0] == pytest.approx(expected)
    assert np.isnan(fisher_pvalues(np.array([0]), np.array([0]), np.array([1]), np.array([3]))[0])


def test_wilson_by_hand():
    z = 1.959963984540054
    lo, hi = wilson_interval(np.array([3]), np.array([10]))
    centre = (0.3 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.3 * 0.7 / 10 + z * z / 400) / (1 + z * z / 10)
    assert (lo[0], hi[0]) == pytest.approx((centre - half, centre + half))


def test_benjamini_hochberg_by_hand():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205])
    # p_(i) * 8 / i, then the running minimum from the top
    raw = p * 8 / np.arange(1, 9)
    expected = np.minimum.accumulate(raw[::-1])[::-1]
    assert benjamini_hochberg(p) == pytest.approx(expected)
    assert benjamini_hochberg(p[::-1]) == pytest.approx(expected[::-1])
    assert benjamini_hochberg(np.array([0.02, np.nan])).tolist()[0] == pytest.approx(0.02)


def test_jensen_shannon_by_hand():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])
    # m = [.25, .5, .25]; KL(p||m) = .5 log2(2) + .5 log2(1) = .5; same for q
    assert jensen_shannon(p, q) == pytest.approx(0.5)
    assert jensen_shannon(np.array([3, 1]), np.array([3, 1])) == 0.0
    assert jensen_shannon(np.array([1, 0]), np.array([0, 1])) == pytest.approx(1.0)
    assert math.isnan(jensen_shannon(np.array([0, 0]), np.array([1, 1])))


def test_log_odds_worked_example():
    # Monroe et al. (2008) eq. 16 and 20 computed by hand for a three-word vocabulary.
    y_i = np.array([20.0, 5.0, 5.0])     # n_i = 30
    y_j = np.array([5.0, 15.0, 10.0])    # n_j = 30
    prior = np.array([2.5, 2.0, 1.5])    # a0 = 6
    delta, z = log_odds_dirichlet(y_i, y_j, prior)
    d0 = math.log(22.5 / (30 + 6 - 22.5)) - math.log(7.5 / (30 + 6 - 7.5))
    assert delta[0] == pytest.approx(d0)
    assert z[0] == pytest.approx(d0 / math.sqrt(1 / 22.5 + 1 / 7.5))
    assert delta[1] < 0 and z[1] < 0  # word 1 is group j's
    d_swapped, z_swapped = log_odds_dirichlet(y_j, y_i, prior)
    assert d_swapped == pytest.approx(-delta) and z_swapped == pytest.approx(-z)


def _simulate(rng, n_docs=40, p_mean=0.25):
    m = 1 + rng.poisson(5, n_docs)
    p_doc = rng.beta(2, 6, n_docs)  # mean 0.25, documents differ: sentences cluster
    y = rng.binomial(m, p_doc)
    return y[:, None].astype(float), m.astype(float)


def test_bootstrap_covers_the_true_share_and_beats_the_naive_interval():
    rng = np.random.default_rng(7)
    truth, hits, naive_hits, runs = 0.25, 0, 0, 300
    for _ in range(runs):
        y, m = _simulate(rng)
        lo, hi = cluster_bootstrap(y, m, 400, rng)
        hits += lo[0] <= truth <= hi[0]
        nlo, nhi = wilson_interval(y.sum(0), np.array([m.sum()]))  # treats sentences as independent
        naive_hits += nlo[0] <= truth <= nhi[0]
    coverage, naive = hits / runs, naive_hits / runs
    assert 0.89 <= coverage <= 0.99
    assert naive < coverage - 0.05  # ignoring the clustering gives intervals that are too narrow


def test_bootstrap_edges_and_seed():
    lo, hi = cluster_bootstrap(np.zeros((0, 2)), np.zeros(0), 100, np.random.default_rng(0))
    assert np.isnan(lo).all() and np.isnan(hi).all()
    lo, hi = cluster_bootstrap(np.array([[1.0]]), np.array([4.0]), 100, np.random.default_rng(0))
    assert lo[0] == hi[0] == 0.25
    y, m = np.array([[1.0], [0.0], [3.0]]), np.array([2.0, 2.0, 4.0])
    a = cluster_bootstrap(y, m, 200, seeded_rng(5, "source", "x"))
    b = cluster_bootstrap(y, m, 200, seeded_rng(5, "source", "x"))
    c = cluster_bootstrap(y, m, 200, seeded_rng(6, "source", "x"))
    assert a[0] == b[0] and a[1] == b[1]


def test_fisher_matches_scipy():
    from scipy.stats import fisher_exact

    rng = np.random.default_rng(3)
    for _ in range(300):
        n1, n2 = rng.integers(1, 300, 2)
        a, b = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
        got = fisher_pvalues(np.array([a]), np.array([n1]), np.array([b]), np.array([n2]))[0]
        assert got == pytest.approx(fisher_exact([[a, n1 - a], [b, n2 - b]])[1], rel=1e-9, abs=1e-12)

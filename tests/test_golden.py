"""Golden files: the tables `framing ingest` and `framing analyze` export for the tiny corpus.

Ids, offsets, roles, authors and languages must not change by accident: a
change here changes every user's stored results. When a change is intended,
regenerate with ``FRAMING_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff of tests/data/golden/.
"""

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.config import load_config
from framing.jobs.ingest import run_ingest

HERE = Path(__file__).parent
TINY = HERE / "data" / "tiny"
GOLDEN = HERE / "data" / "golden"

COLUMNS = {
    "documents": ["doc_id", "page_id", "source", "title", "date", "date_source", "language", "role", "author",
                  "parent_id", "depth", "split_method", "encoding", "text"],
    "sentences": ["sentence_id", "doc_id", "source", "role", "author", "date", "lang", "start", "end",
                  "input_start", "input_end", "text", "n_words", "is_fragment"],
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    # Ids derive from paths relative to the input folder's parent, so they do
    # not depend on where the repository is cloned.
    return run_ingest([TINY], load_config(), tmp_path_factory.mktemp("golden")).tables


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_exported_table_matches_golden_file(tables, name):
    got = tables[name][COLUMNS[name]].reset_index(drop=True)
    path = GOLDEN / f"tiny_{name}.csv"
    if os.environ.get("FRAMING_UPDATE_GOLDEN") == "1":
        got.to_csv(path, index=False)
    expected = pd.read_csv(path, keep_default_na=False, na_values=[""])
    got = pd.read_csv(pd.io.common.StringIO(got.to_csv(index=False)), keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(got, expected)


# -- every table of `framing analyze` on the tiny corpus (hashing embedder + PCA) ------------------

ANALYZE = ["embedding.model=hashing", "embedding.cache=false", "topics.reducer=pca", "topics.min_cluster_size=3",
           "topics.n_neighbors=5"]


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    from framing.jobs.analyze import analyze

    cfg = load_config(overrides=ANALYZE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = analyze([TINY], cfg, tmp_path_factory.mktemp("golden-analyze"), frames=[str(HERE / "data" / "tiny_frames.yaml")])
    return run.tables


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Stable text for a table: lists and dicts as JSON, floats to 6 decimals, rows in a fixed order."""
    def cell(v):
        if isinstance(v, (list, tuple, dict)) or hasattr(v, "tolist") and not np.isscalar(v):
            return json.dumps(v.tolist() if hasattr(v, "tolist") else v, ensure_ascii=False, sort_keys=True, default=str)
        if isinstance(v, (float, np.floating)):
            return "" if np.isnan(v) else f"{float(v):.6f}"
        return "" if v is None or v is pd.NA else str(v)

    out = df.reset_index(drop=True).apply(lambda col: col.map(cell)).astype(str)
    return out.sort_values(list(out.columns), kind="stable").reset_index(drop=True)


def _portable(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Input file paths relative to the tiny corpus's parent, so the golden files hold no clone location."""
    if "file" not in df.columns:
        return df
    rel = df["file"].map(lambda v: Path(v).resolve().relative_to(TINY.parent.resolve()).as_posix() if isinstance(v, str) and v else v)
    return df.assign(file=rel)


def test_every_analysis_table_matches_its_golden_file(analysis):
    analysis = {name: _portable(name, df) for name, df in analysis.items()}
    expected_names = sorted(p.name[len("analyze_"):-len(".csv")] for p in GOLDEN.glob("analyze_*.csv"))
    if os.environ.get("FRAMING_UPDATE_GOLDEN") == "1":
        for name, df in analysis.items():
            _canonical(df).to_csv(GOLDEN / f"analyze_{name}.csv", index=False)
        expected_names = sorted(analysis)
    assert sorted(analysis) == expected_names, "a table was added or removed: regenerate the golden files"
    for name, df in analysis.items():
        got = _canonical(df)
        want = pd.read_csv(GOLDEN / f"analyze_{name}.csv", dtype=str, keep_default_na=False)
        if "file" in got.columns:  # absolute paths depend on where the repository is cloned
            got["file"], want["file"] = got.file.map(lambda f: Path(f).name), want.file.map(lambda f: Path(f).name)
        assert list(got.columns) == list(want.columns), name
        pd.testing.assert_frame_equal(got, want, obj=name)

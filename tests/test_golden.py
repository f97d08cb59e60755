"""Golden files: the tables `framing ingest` exports for the tiny corpus.

Ids, offsets, roles, authors and languages must not change by accident: a
change here changes every user's stored results. When a change is intended,
regenerate with ``FRAMING_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff of tests/data/golden/.
"""

import os
from pathlib import Path

import pandas as pd
import pytest

from framing.config import load_config
from framing.pipeline import run_ingest

HERE = Path(__file__).parent
TINY = HERE / "data" / "tiny"
GOLDEN = HERE / "data" / "golden"

COLUMNS = {
    "documents": ["doc_id", "page_id", "source", "title", "date", "date_source", "language", "role", "author",
                  "parent_id", "depth", "split_method", "encoding", "text"],
    "sentences": ["sentence_id", "doc_id", "source", "role", "author", "date", "lang", "start", "end", "text",
                  "n_words", "is_fragment"],
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

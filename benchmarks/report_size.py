"""Size and render time of the report for a large run, and its load time in headless Chromium.

Takes a run folder (e.g. reports/seeds) and grows its sentences table to N rows by repeating
it with fresh ids and jittered map coordinates (the other tables unchanged), then renders the
report and prints its size, the time to render it, and (when chromium is on the PATH) the time
until every plot is drawn.

    .venv/bin/python benchmarks/report_size.py reports/seeds --sentences 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from framing import store
from framing.report import write_report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))


def grow(sentences: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    reps = -(-n // len(sentences))
    rng = np.random.default_rng(seed)
    parts = [sentences.assign(sentence_id=sentences["sentence_id"].astype(str) + f"-{i}") for i in range(reps)]
    big = pd.concat(parts, ignore_index=True).head(n)
    for c in ("map_x", "map_y"):
        big[c] = big[c] + rng.normal(0, 0.05, len(big))
    return big


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--max-points", type=int, default=None, help="default: the run's report.max_points")
    args = ap.parse_args()
    tables, meta = store.read_tables(args.run_dir), store.read_run_json(args.run_dir)
    tables["sentences"] = grow(tables["sentences"], args.sentences)
    max_points = args.max_points or int(((meta.get("config") or {}).get("report") or {}).get("max_points", 10000))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        t0 = time.perf_counter()
        write_report(tables, meta, out, seed=42, max_points=max_points)
        render = time.perf_counter() - t0
        size = out.stat().st_size / 1e6
        print(f"sentences {len(tables['sentences']):,}  map points {min(max_points, len(tables['sentences'])):,}  "
              f"report {size:.1f} MB  render {render:.1f} s")
        try:
            from browser import CHROMIUM, Browser
        except ImportError:
            return
        if CHROMIUM:
            with Browser() as b:
                t0 = time.perf_counter()
                page = b.open(out, settle=0)
                print(f"chromium: every plot drawn after {time.perf_counter() - t0:.1f} s; problems: {page.problems()}")


if __name__ == "__main__":
    main()

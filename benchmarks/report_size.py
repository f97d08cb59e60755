"""Size and render time of the report for a large run, and its load time in headless Chromium.

Takes a run folder (e.g. reports/seeds) and grows its sentences table to N rows by repeating
it with fresh ids and jittered map coordinates (the other tables unchanged), then renders the
report and prints its size (and what it is made of: the packed plotly.js, figures and comparison
blocks, and the rest of the page), the time to render it, and (when chromium is on the PATH) the
time until the page has unpacked its blocks and every plot is drawn.

    .venv/bin/python benchmarks/report_size.py reports/seeds --sentences 100000 [--out big.html]

Measured (2026-11-30, 2 shared cores; grown from the seeds run, 10,000 map points):
before packing 8.5 MB (plotly.js 4.8 MB inline, figures 3.35 MB of JSON), every plot drawn after 7.0 s;
packed (gzip + base64) 2.7 MB, see the README's "Report" section for the current figures.
"""

from __future__ import annotations

import argparse
import re
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
    ap.add_argument("--out", type=Path, default=None, help="keep the page here (default: a temporary file)")
    args = ap.parse_args()
    tables, meta = store.read_tables(args.run_dir), store.read_run_json(args.run_dir)
    tables["sentences"] = grow(tables["sentences"], args.sentences)
    max_points = args.max_points or int(((meta.get("config") or {}).get("report") or {}).get("max_points", 10000))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "report.html"
        t0 = time.perf_counter()
        write_report(tables, meta, out, seed=42, max_points=max_points)
        render = time.perf_counter() - t0
        size = out.stat().st_size / 1e6
        print(f"sentences {len(tables['sentences']):,}  map points {min(max_points, len(tables['sentences'])):,}  "
              f"report {size:.1f} MB  render {render:.1f} s")
        page = out.read_text(encoding="utf-8")
        blocks = {m.group(1): len(m.group(2)) for m in re.finditer(
            r'<script type="application/octet-stream" id="([\w-]+)"[^>]*>(.*?)</script>', page, re.DOTALL)}
        rest = len(page.encode("utf-8")) - sum(blocks.values())
        print("  packed blocks: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in blocks.items())
              + f"; the rest of the page {rest / 1e6:.2f} MB")
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

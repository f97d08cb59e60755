"""Size, height and render time of the report of a run, and its load time in headless Chromium.

Height: renders the run's report as it is and opens it in Chromium at 1400 px width, then prints the
page's height, each section's height, how many figures the page carries and how many were drawn, and
the console errors (none expected)::

    .venv/bin/python benchmarks/report_size.py RUN_DIR --height [--width 1400] [--out page.html]

Size: takes a run folder (e.g. reports/seeds) and grows its sentences table to N rows by repeating
it with fresh ids (the first copy keeps its own) and jittered map coordinates (the other tables
unchanged), then renders the report and prints its size (and what it is made of: the packed plotly.js, figures and comparison
blocks, and the rest of the page), the time to render it, and (when chromium is on the PATH) the
time until the page has unpacked its blocks and every plot is drawn.

    .venv/bin/python benchmarks/report_size.py reports/seeds --sentences 100000 [--repeat 3] [--out big.html]

Measured (2026-11-30, 2 shared cores under load; 10,000 map points; drawn: median of 3):

    run grown to 100k   page before           packed + partial plotly.js (now)
    seeds               8.7 MB, drawn 3.2 s   1.6 MB, drawn 1.9 s
    climate-frames      11.4 MB, drawn 4.9 s  3.7 MB, drawn 4.2 s (plotly 0.69, figures 1.02,
                                              comparison 0.13, contexts 0.31, HTML 1.57 MB)

"Before" is the report code of commit 527bc6f on the same grown tables, opened in the same browser
session, interleaved with the new pages.
"""

from __future__ import annotations

import argparse
import re
import statistics
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
    # the first copy keeps its ids, so the quotes the other tables name (evidence, topics) still resolve
    parts = [sentences if i == 0 else sentences.assign(sentence_id=sentences["sentence_id"].astype(str) + f"-{i}")
             for i in range(reps)]
    big = pd.concat(parts, ignore_index=True).head(n)
    for c in ("map_x", "map_y"):
        big[c] = big[c] + rng.normal(0, 0.05, len(big))
    return big


SECTION_HEIGHTS = """Array.from(document.querySelectorAll('main > section')).map(function (s) {
  return [s.id, Math.round(s.getBoundingClientRect().height)]; })"""
FIGURES_DRAWN = """Array.from(document.querySelectorAll('.js-plotly-plot')).filter(function (d) {
  return d.querySelectorAll('.main-svg').length >= 2; }).length"""


def measure(page_path: Path, width: int = 1400) -> dict:
    """Open a report in headless Chromium at ``width`` px: page height, section heights, figures, problems."""
    from browser import Browser

    html = page_path.read_text(encoding="utf-8")
    block = re.search(r'id="figure-data" data-packing="gzip\+base64">([^<]*)<', html)
    from framing.report.html import unpack
    n_figures = len(__import__("json").loads(unpack(block.group(1)))) if block else 0
    with Browser(width=width) as b:
        page = b.open(page_path)
        return {"height": page.evaluate("document.documentElement.scrollHeight"),
                "sections": page.evaluate(SECTION_HEIGHTS), "figures": n_figures,
                "drawn": page.evaluate(FIGURES_DRAWN), "state": page.evaluate("document.body.getAttribute('data-figures')"),
                "problems": page.problems()}


def height_main(args: argparse.Namespace) -> None:
    from framing.report import rebuild_report

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "report.html"
        rebuild_report(args.run_dir, out=out)
        m = measure(out, args.width)
    print(f"{args.run_dir}: page {m['height']:,} px tall at {args.width} px; figures drawn {m['drawn']} of "
          f"{m['figures']} (+ the two-source chart when present; state {m['state']}); problems: {m['problems']}")
    print("  sections: " + ", ".join(f"{name} {h:,}" for name, h in m["sections"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--height", action="store_true", help="measure the page's height in Chromium (no growing)")
    ap.add_argument("--width", type=int, default=1400, help="browser width for --height")
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--max-points", type=int, default=None, help="default: the run's report.max_points")
    ap.add_argument("--out", type=Path, default=None, help="keep the page here (default: a temporary file)")
    ap.add_argument("--repeat", type=int, default=1, help="open the page this many times; prints the median")
    args = ap.parse_args()
    if args.height:
        return height_main(args)
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
                times, problems = [], []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    page = b.open(out, settle=0)
                    times.append(time.perf_counter() - t0)
                    problems += page.problems()
                print(f"chromium: every plot drawn after {statistics.median(times):.1f} s"
                      + (f" (median of {', '.join(f'{t:.1f}' for t in times)})" if len(times) > 1 else "")
                      + f"; problems: {problems}")


if __name__ == "__main__":
    main()

"""Check that a change left every table and figure as it was: on the seeds and on BASIL.

Two steps, each run from the checkout whose code it should use::

    # in a checkout of the commit before the change (e.g. git worktree add /tmp/before <sha>)
    PYTHONPATH=. .venv/bin/python benchmarks/equality_check.py run /tmp/eq/before
    # in the checkout after the change
    PYTHONPATH=. .venv/bin/python benchmarks/equality_check.py run /tmp/eq/after
    .venv/bin/python benchmarks/equality_check.py compare /tmp/eq/before /tmp/eq/after

``run DEST`` analyses ``seeds/`` into ``DEST/seeds`` and BASIL (the 300 articles
of ``../shared/data/basil``, read in place and written as a JSONL corpus under
``DEST``) with ``--frames news-frames`` into ``DEST/basil``.

``compare A B`` compares, for both runs:

- every table in ``tables/`` (same files, same columns in the same order,
  same dtypes, same values: floats exactly, since the seed fixes every random
  step on one machine);
- the figures and data the report draws: every data block of ``report.html``
  (figure specs, comparison and context data, unpacked from gzip+base64), exactly;
- the report's HTML as a whole, after the parts that name the run's own
  folder, time and software versions are masked;
- run.json, with the same parts masked, each read through the current
  ``RunMeta`` (:mod:`framing.runfolder.meta`: an older run.json is migrated
  first, so a schema change is compared by content).

What only says where and how a run was made is masked on both sides: the run
folders, the checkout (run.json ``cwd``), the input paths as given and resolved
(``documents.file`` relative to them), the corpus name derived from them, the
command line, the embedding cache's hit counts (they depend on what the cache
held) and the wall times.

It prints one line per run and difference and exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
# ../shared/data/basil from the checkout, or from any folder above it (a worktree lives deeper).
BASIL = next((p / "shared" / "data" / "basil" / "articles.jsonl" for p in ROOT.parents
              if (p / "shared" / "data" / "basil" / "articles.jsonl").exists()),
             ROOT.parent / "shared" / "data" / "basil" / "articles.jsonl")
RUNS = ("seeds", "basil")
# run.json keys whose values name the moment, the machine or the folder of one run.
VOLATILE = {"created", "started", "finished", "elapsed", "elapsed_s", "seconds", "timings", "time", "duration_s",
            "versions", "python", "platform", "out", "output_dir", "dir", "path", "input", "inputs", "cache_dir",
            "run_id", "host", "memory", "peak_memory_mb", "rss_mb", "stages_s", "wall_s",
            "stage_seconds", "command", "cache"}


def _basil_corpus(dest: Path) -> Path:
    if not BASIL.exists():
        sys.exit(f"{BASIL} not found: BASIL is read from ../shared/data/basil.")
    out = dest / "basil_corpus" / "basil.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for line in BASIL.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                text = "\n\n".join(" ".join(p) for p in r["paragraphs"])
                fh.write(json.dumps({"id": r["file_id"], "source": r["source"], "date": r["date"],
                                     "title": r["title"], "text": text}) + "\n")
    return out


def run(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-c", "from framing.cli import main; main()", "analyze"]
    jobs = {"seeds": [str(ROOT / "seeds")], "basil": [str(_basil_corpus(dest)), "--frames", "news-frames"]}
    for name, args in jobs.items():
        print(f"analyze {name} -> {dest / name}", flush=True)
        subprocess.run([*cli, *args, "--out", str(dest / name)], check=True, cwd=ROOT)


def _mask(value: object, key: str = "", masks: tuple[str, ...] = ()) -> object:
    if key in VOLATILE:
        return "<masked>"
    if isinstance(value, dict):
        return {k: _mask(v, k, masks) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_mask(v, "", masks) for v in value]
    if isinstance(value, str):
        return _masked_text(value, list(masks))
    return value


def _read_meta(run: Path) -> dict:
    """run.json through the current RunMeta (migrated when older), as plain data."""
    data = json.loads(run.joinpath("run.json").read_text(encoding="utf-8"))
    try:
        from framing.runfolder.meta import RunMeta
    except ImportError:  # a checkout before RunMeta
        return data
    return RunMeta.from_json(data, str(run / "run.json")).to_json()


def _place_masks(run: Path) -> list[str]:
    """Text that names where the run was made: its checkout, its inputs (as given and resolved), its corpus name."""
    meta = json.loads(run.joinpath("run.json").read_text(encoding="utf-8"))
    cwd = Path(meta.get("cwd") or ".")
    out = {str(cwd)}
    for p in meta.get("paths", []):
        out |= {str(p).rstrip("/"), str((cwd / p).resolve()), str((cwd / p).resolve().parent)}
    if meta.get("corpus"):
        out.add(meta["corpus"])
    return sorted((m for m in out if len(m) > 1), key=len, reverse=True)


def _unplaced_files(df: pd.DataFrame, masks: list[str]) -> pd.DataFrame:
    if "file" in df.columns:
        df = df.assign(file=[None if v is None else _masked_text(str(v), masks) for v in df["file"]])
    return df


def _tables(a: Path, b: Path, masks_a: list[str] = (), masks_b: list[str] = ()) -> list[str]:
    diffs = []
    names_a = sorted(p.name for p in (a / "tables").glob("*"))
    names_b = sorted(p.name for p in (b / "tables").glob("*"))
    if names_a != names_b:
        diffs.append(f"table files differ: only before {sorted(set(names_a) - set(names_b))}, "
                     f"only after {sorted(set(names_b) - set(names_a))}")
    for name in sorted(set(names_a) & set(names_b)):
        if not name.endswith(".parquet"):
            continue
        ta = _unplaced_files(pd.read_parquet(a / "tables" / name), list(masks_a))
        tb = _unplaced_files(pd.read_parquet(b / "tables" / name), list(masks_b))
        try:
            pd.testing.assert_frame_equal(ta, tb, check_exact=True)
        except AssertionError as exc:
            diffs.append(f"{name}: {str(exc).strip().splitlines()[0]} ...")
    return diffs


_JSON_BLOCK = re.compile(r'<script type="application/(?:json|octet-stream)"[^>]*>(.*?)</script>', re.S)


def _blocks(html: str) -> list[str]:
    """The page's data blocks, unpacked (gzip+base64 blocks decoded to their JSON text)."""
    out = []
    for m in re.finditer(r'<script type="application/(json|octet-stream)"([^>]*)>(.*?)</script>', html, re.S):
        body = m.group(3)
        if "gzip+base64" in m.group(2):
            body = gzip.decompress(base64.b64decode(body.strip())).decode("utf-8")
        out.append(body)
    return out


def _report(a: Path, b: Path, masks_a: list[str], masks_b: list[str]) -> list[str]:
    ha, hb = (p.joinpath("report.html").read_text(encoding="utf-8") for p in (a, b))
    diffs = []
    ja, jb = _blocks(ha), _blocks(hb)
    if len(ja) != len(jb):
        diffs.append(f"report.html: {len(ja)} data blocks before, {len(jb)} after")
    for i, (x, y) in enumerate(zip(ja, jb)):
        x, y = _masked_text(x, masks_a), _masked_text(y, masks_b)
        if x != y:
            diffs.append(f"report.html: data block {i} differs (at character {_first_diff(x, y)})")
    ta, tb = _masked_text(_JSON_BLOCK.sub("", ha), masks_a), _masked_text(_JSON_BLOCK.sub("", hb), masks_b)
    if ta != tb:
        k = _first_diff(ta, tb)
        diffs.append(f"report.html: page differs at character {k}: {ta[k - 60:k + 60]!r} / {tb[k - 60:k + 60]!r}")
    return diffs


def _masked_text(text: str, masks: list[str]) -> str:
    for m in masks:
        text = text.replace(m, "<run>")
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?", "<time>", text)
    text = re.sub(r"cache \d+ hits, \d+ misses", "cache <hits>", text)
    text = text.replace("<run>/ ", "<run> ")  # a folder given with a trailing slash (seeds/) on the command line
    return re.sub(r"framing \d+\.\d+[\w.+-]*", "framing <version>", text)


def _first_diff(x: str, y: str) -> int:
    return next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))


def _meta(a: Path, b: Path, masks_a: list[str], masks_b: list[str]) -> list[str]:
    ma, mb = _mask(_read_meta(a), masks=tuple(masks_a)), _mask(_read_meta(b), masks=tuple(masks_b))
    if ma == mb:
        return []
    keys = sorted(k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k))
    return [f"run.json differs in: {', '.join(keys)}"]


def compare(before: Path, after: Path) -> int:
    bad = 0
    for name in RUNS:
        a, b = before / name, after / name
        runs = {str(a), str(b), str(before), str(after)}
        masks_a, masks_b = (sorted(runs | set(_place_masks(r)), key=len, reverse=True) for r in (a, b))
        diffs = _tables(a, b, masks_a, masks_b) + _report(a, b, masks_a, masks_b) + _meta(a, b, masks_a, masks_b)
        print(f"{name}: {'identical' if not diffs else f'{len(diffs)} difference(s)'}")
        for d in diffs:
            print(f"  {d}")
        bad += bool(diffs)
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run", help="analyse seeds/ and BASIL with this checkout's code into DEST")
    p_run.add_argument("dest", type=Path)
    p_cmp = sub.add_parser("compare", help="compare two folders written by run")
    p_cmp.add_argument("before", type=Path)
    p_cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.cmd == "run":
        run(args.dest.resolve())
    else:
        sys.exit(compare(args.before.resolve(), args.after.resolve()))


if __name__ == "__main__":
    main()

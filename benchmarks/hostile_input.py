"""Peak memory and time of `framing ingest` on a 20 MB single-line file and on 100k tiny records.

Prints one line per case: input size, documents, sentences, wall seconds, peak RSS (MB).
Each case runs in its own subprocess, so the peak RSS is that run's own.

    .venv/bin/python benchmarks/hostile_input.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = "the troops left base rockets hit oil fields sanctions hurt families government said today".split()


def one_line(folder: Path, size: int = 20_000_000) -> Path:
    corpus = folder / "one-line"
    corpus.mkdir()
    text = " ".join(WORDS[(i * 7) % len(WORDS)] for i in range(size // 5))[:size]
    (corpus / "line.txt").write_text(text, encoding="utf-8")
    return corpus


def many_records(folder: Path, n: int = 100_000) -> Path:
    path = folder / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": str(i), "text": f"Report {i} says the troops left.", "source": f"s{i % 7}"}) + "\n")
    return path


def run(case: str, path: Path, out: Path) -> None:
    code = ("import resource, sys; from framing.cli import main; sys.argv = ['framing', 'ingest', sys.argv[1], "
            "'--out', sys.argv[2], '-q']\ntry:\n    main()\nfinally:\n"
            "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"{case}: failed\n{proc.stderr}")
        return
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")))
    print(f"{case:>14}: input {size / 1e6:.1f} MB, {counts['documents']} documents, {counts['sentences']} sentences, "
          f"{wall:.1f} s, peak RSS {peak_kb / 1024:.0f} MB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        run("20 MB line", one_line(base), base / "run-line")
        run("100k records", many_records(base), base / "run-many")


if __name__ == "__main__":
    main()

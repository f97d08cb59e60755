"""Precision of the voice label (own / quote / reported), read by eye on 50 sentences.

Usage::

    python benchmarks/voice_reading.py draw ../shared/data /tmp/voice-sample.csv   # the sample, judgment empty
    python benchmarks/voice_reading.py score docs/voice-reading.csv                 # precision per predicted voice

``draw`` splits and marks the seeds (English and Dutch), 40 BASIL articles
and 40 climate-frames articles (chosen with seed 21) exactly as ``framing
analyze`` does (:func:`framing.segment.build_sentences`), leaves out
fragments, and draws 17 ``own``, 17 ``quote`` and 16 ``reported`` sentences
(seed 21), taking them in turn from the four corpora (seeds nl, seeds en,
basil, climate-frames) so each voice is read in both languages and in news
as well as blogs. It also prints how long marking took and the share of
each voice per corpus. A reader fills ``judgment`` with the voice the
sentence really has (own / quote / reported) and ``speaker_ok`` with yes /
no / "" (no speaker predicted); ``score`` prints precision per predicted
voice and the share of right speakers.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 21
QUOTA = {"own": 17, "quote": 17, "reported": 16}
ARTICLES = 40


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _documents(data: Path) -> pd.DataFrame:
    from framing.config import load_config
    from framing.corpus.ingest import documents_table
    from framing.corpus.readers import read_inputs

    cfg = load_config()
    docs, _ = documents_table(read_inputs([Path(__file__).resolve().parents[1] / "seeds"], cfg.corpus).pages, cfg)
    seeds = docs[["doc_id", "language", "text"]].assign(corpus="seeds")
    rng = np.random.default_rng(SEED)
    basil = _jsonl(data / "basil" / "articles.jsonl")
    basil = [basil[i] for i in sorted(rng.choice(len(basil), ARTICLES, replace=False))]
    climate = _jsonl(data / "climate-frames" / "articles.jsonl")
    climate = [climate[i] for i in sorted(rng.choice(len(climate), ARTICLES, replace=False))]
    rows = [{"doc_id": f"basil:{r['file_id']}", "language": "en", "corpus": "basil",
             "text": "\n\n".join(" ".join(p) for p in r["paragraphs"])} for r in basil]
    rows += [{"doc_id": f"climate:{r['id']}", "language": "en", "corpus": "climate-frames", "text": r["text"]}
             for r in climate]
    return pd.concat([seeds, pd.DataFrame(rows)], ignore_index=True)


def draw(data: str, out: str) -> None:
    from framing.config import Config
    from framing.segment import build_sentences
    from framing.voice import voice_columns

    docs = _documents(Path(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sents, _, _ = build_sentences(docs, Config())
    start = time.perf_counter()
    voice_columns(docs, sents)
    print(f"marking {len(sents):,} sentences of {len(docs)} documents again: {time.perf_counter() - start:.2f} s")
    corpus = dict(zip(docs["doc_id"], docs["corpus"]))
    sents = sents.assign(corpus=[f"{corpus[d]} {lang}" if corpus[d] == "seeds" else corpus[d]
                                 for d, lang in zip(sents["doc_id"], sents["lang"])])
    print(pd.crosstab(sents["corpus"], sents["voice"], normalize="index").round(3).to_string())
    sents = sents[~sents["is_fragment"]]
    rng = np.random.default_rng(SEED)
    picked = []
    for voice, n in QUOTA.items():
        pools = []
        for name in ("seeds nl", "seeds en", "basil", "climate-frames"):
            pool = sents[(sents["voice"] == voice) & (sents["corpus"] == name)]
            pools.append(list(pool.index[rng.permutation(len(pool))]))
        chosen = []
        while len(chosen) < n and any(pools):
            for pool in pools:
                if pool and len(chosen) < n:
                    chosen.append(pool.pop(0))
        picked += chosen
    sample = sents.loc[picked, ["corpus", "doc_id", "sentence_id", "lang", "voice", "speaker", "text"]]
    sample = sample.rename(columns={"voice": "predicted_voice"}).assign(judgment="", speaker_ok="", note="")
    sample.to_csv(out, index=False)
    print(f"wrote {len(sample)} sentences to {out}")


def score(path: str) -> None:
    df = pd.read_csv(path, keep_default_na=False)
    df = df.rename(columns={"sentence": "text"})
    for voice, part in df.groupby("predicted_voice", sort=False):
        right = int((part["judgment"] == voice).sum())
        print(f"{voice:9s} precision {right / len(part):.2f} ({right} of {len(part)})")
    right = int((df["judgment"] == df["predicted_voice"]).sum())
    print(f"all       accuracy  {right / len(df):.2f} ({right} of {len(df)})")
    named = df[df["speaker"] != ""]
    ok = int((named["speaker_ok"] == "yes").sum())
    print(f"speakers  right     {ok / len(named):.2f} ({ok} of {len(named)} predicted speakers)" if len(named) else "")
    print(pd.crosstab(df["predicted_voice"], df["judgment"]).to_string())


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "draw" and len(sys.argv) == 4:
        draw(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "score":
        score(sys.argv[2])
    else:
        sys.exit(__doc__)

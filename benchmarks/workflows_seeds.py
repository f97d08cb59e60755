"""Figures for the researcher workflows on a real corpus (default: seeds/ with the bundled models).

    python benchmarks/workflows_seeds.py [CORPUS] [OUT]

Analyzes CORPUS, measures topic stability over 5 other seeds, then applies the run to one of
its own files (copied to a new folder) and prints how often a sentence gets the same topic and
the same frame decisions as in the run that fitted the model.
"""

import shutil
import sys
import time
from pathlib import Path

import framing

corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("seeds")
out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("reports") / "bench-workflows"
t0 = time.perf_counter()
run = framing.analyze(corpus, out=out / "run")
print(f"analyze: {len(run.sentences)} sentences, {int((run.topics.topic >= 0).sum())} topics, "
      f"{time.perf_counter() - t0:.0f} s")
t0 = time.perf_counter()
table = run.stability(seeds=5)
print(f"stability (5 refits, {time.perf_counter() - t0:.0f} s): {int(table.stable.sum())} stable, "
      f"{int((~table.stable).sum())} fragile; mean stability {table.stability.mean():.2f}")
print(table[["topic", "label", "size", "stability", "reappearance", "stable", "core_size"]].to_string(index=False))
week = out / "new"
shutil.rmtree(week, ignore_errors=True)
week.mkdir(parents=True)
files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html"))
shutil.copy(files[len(files) // 2], week)
t0 = time.perf_counter()
child = run.apply(week, out=out / "applied")
both = child.sentences[["text", "topic"]].merge(run.sentences[["text", "topic"]].drop_duplicates("text"), on="text",
                                                 suffixes=("", "_parent"))
fitted = both[both.topic_parent >= 0]
sf = child.sentence_frames.merge(child.sentences[["sentence_id", "text"]]).merge(
    run.sentence_frames.merge(run.sentences[["sentence_id", "text"]]), on=["text", "frame_id"], suffixes=("", "_parent"))
print(f"apply {files[len(files) // 2].name} ({time.perf_counter() - t0:.0f} s): {len(fitted)} sentences the run "
      f"clustered, same topic {(fitted.topic == fitted.topic_parent).mean():.1%}; "
      f"{(both.topic_parent < 0).sum()} run outliers, {(both[both.topic_parent < 0].topic >= 0).mean():.1%} now placed; "
      f"frame decisions equal {(sf.matched == sf.matched_parent).mean():.1%} of {len(sf)}")

# %% [markdown]
# # A researcher's session with framing, start to end
#
# Analyze a corpus, compare sources, draw a sample for human coding, score the
# frame decisions against the coders, apply the fitted model to next week's
# documents, check which topics are stable, and export everything for R,
# Stata or a spreadsheet. Each `# %%` block is a notebook cell (VS Code,
# Jupyter with jupytext, or plain `python`).
#
#     python docs/walkthrough.py                      # the sample corpus seeds/ with the real models
#     python docs/walkthrough.py CORPUS OUT --fast    # hashing embedder + PCA: seconds (the tests run this
#                                                     # on tests/data/tiny)

# %%
import json
import shutil
import sys
from pathlib import Path

import duckdb

import framing

args = [a for a in sys.argv[1:] if not a.startswith("--")]
corpus = Path(args[0]) if args else Path("seeds")
out = Path(args[1]) if len(args) > 1 else Path("reports") / "walkthrough"
# --fast: a hashing embedder and PCA instead of MiniLM/USE and UMAP, for tests and quick looks.
fast = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
            topics__min_cluster_size=3, topics__n_neighbors=5) if "--fast" in sys.argv else {}
# The walkthrough writes only these sub-folders of OUT (run again, framing replaces its own runs in them);
# an OUT that holds anything else is refused: nothing of yours is replaced or deleted.
others = sorted(p.name for p in out.iterdir() if p.name not in ("run", "coding", "new-week", "week-2", "rerun")) \
    if out.is_dir() else []
if others:
    sys.exit(f"{out} holds files this walkthrough did not write ({', '.join(others)}): give a new or empty folder "
             "as OUT.")

# %% [markdown]
# ## 1. Analyze
# `framing.analyze` takes folders, record files or a pandas DataFrame, and returns a `Run`:
# the tables of the run folder as DataFrames.

# %%
run = framing.analyze(corpus, frames=["us-middle-east"], out=out / "run", **fast)
print(run)
print(run.documents[["doc_id", "source", "role", "date"]].head())
print(run.topics[["topic", "label", "size"]])

# %% [markdown]
# ## 2. Compare
# `analyze` compares sources and roles already (`run.comparisons`); `run.compare(by)` compares any
# other grouping of the documents without touching the run.

# %%
prevalence = run.comparisons["compare_prevalence"]
frames_by_source = prevalence[(prevalence["kind"] == "frame") & (prevalence["by"] == "source")]
print(frames_by_source[["group", "item", "sentences", "share_of_sentences", "ci_low", "ci_high", "q_value"]]
      .sort_values("share_of_sentences", ascending=False).head(10).to_string())
by_month = run.compare("month")["compare_prevalence"]
print(f"{len(by_month)} rows comparing months")
fig = run.figures.frames_by_source()  # a Plotly figure: fig.show() in a notebook
print("figures:", ", ".join(run.figures.names()))

# %% [markdown]
# ## 3. Sample for human coding
# A seeded sample stratified by frame and source, with a Label Studio project
# (tasks + labelling config generated from the catalog) and a codebook.

# %%
sample = run.sample(by="frame", n=5, out=out / "coding")
print(sample.groupby("stratum").size())
print(sorted(p.name for p in (out / "coding").iterdir()))

# %% [markdown]
# ## 4. Evaluate against the coders
# Coders work in Label Studio and export the project as JSON. Here a keyword rule
# stands in for them so the walkthrough runs end to end: replace `coded.json` with
# your real export.

# %%
tasks = json.loads((out / "coding" / "label-studio-tasks.json").read_text(encoding="utf-8"))


def stand_in_coder(text: str) -> list[str]:
    """Not a human: 'oil' means the there-for-the-oil frame, anything else no frame."""
    return ["us-there-for-oil"] if "oil" in text.lower() or "olie" in text.lower() else ["none"]


export = [{"id": i, "data": t["data"], "annotations": [{"completed_by": 1, "result": [
    {"from_name": "frames", "to_name": "text", "type": "choices",
     "value": {"choices": stand_in_coder(t["data"]["text"])}}]}]} for i, t in enumerate(tasks, start=1)]
(out / "coding" / "coded.json").write_text(json.dumps(export), encoding="utf-8")
result = run.evaluate(out / "coding" / "coded.json")
print(f"micro F1 {result.micro_f1:.2f} over {result.n_items} coded sentences")
print(result.per_frame[["frame_id", "support", "precision", "recall", "f1"]].query("support > 0"))

# %% [markdown]
# ## 5. Next week's documents, same model
# `run.apply` assigns the run's topics and frames to new documents without refitting and writes a
# new run linked to its parent. Here one document of the corpus stands in for next week's.

# %%
new_week = out / "new-week"
new_week.mkdir(parents=True, exist_ok=True)
first = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".html", ".md"))[0]
shutil.copy(first, new_week / first.name)
week = run.apply(new_week, out=out / "week-2")
print(week.meta["parent"])
print(week.topics[["topic", "label", "size", "parent_size"]])

# %% [markdown]
# ## 6. Which topics are stable?
# Refit with other seeds, align topics by shared sentences; report fragile topics as such.

# %%
stability = run.stability(seeds=3)
print(stability[["topic", "label", "stability", "reappearance", "stable", "core_size", "size"]])

# %% [markdown]
# ## 7. Export, SQL, and reproducing the run

# %%
csv_dir = run.export("csv")
xlsx_dir = run.export("xlsx")
print(sorted(p.name for p in csv_dir.iterdir())[:8], "...")
con = duckdb.connect(str(run.run_dir / "framing.duckdb"), read_only=True)
print(con.sql("""
    SELECT s.source, count(*) AS matched_sentences, min(s.date) AS first_seen
    FROM sentence_frames f JOIN sentences s USING (sentence_id)
    WHERE f.frame_id = 'us-there-for-oil' AND f.matched
    GROUP BY s.source ORDER BY matched_sentences DESC
""").df())
con.close()
again = run.rerun(out / "rerun")
print({name: verdict for name, verdict in again.meta["rerun"]["tables"].items() if verdict != "identical"} or
      "the rerun reproduced every table")

"""Seeded, stratified samples of a run for human coding: ``framing sample RUN_DIR --by frame|topic --n 50``.

Strata are (frame, source) or (topic, source). For each frame (or topic),
``n`` items are drawn, spread as evenly as the data allow over the sources
that have it, so a prolific outlet does not fill the sample. ``--by frame``
adds a stratum ``none`` of items no frame matched (recall needs them);
``--by topic`` keeps the outliers (topic -1) as a stratum. An item is drawn
once, under the first stratum that picks it (strata in sorted order).
``weight`` is the number of items its (stratum, source) cell holds divided
by the number drawn from it, for estimates over the whole run.

Examples
--------
>>> import pandas as pd
>>> members = pd.DataFrame({"item": list("abcdefgh"), "stratum": ["x"] * 6 + ["y"] * 2,
...                         "source": ["s1"] * 5 + ["s2", "s1", "s2"]})
>>> drawn = draw(members, n=4, seed=1)
>>> drawn.groupby(["stratum", "source"]).size().to_dict()
{('x', 's1'): 3, ('x', 's2'): 1, ('y', 's1'): 1, ('y', 's2'): 1}
>>> drawn.equals(draw(members, n=4, seed=1))
True
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import store
from ..errors import CatalogError, InputError, RunStoreError
from ..frames.designs import check_strategy, design_sample
from ..labels import NONE_CHOICE, codebook, label_config
from ..spreadsheet import write_csv

SAMPLE_CSV = "sample.csv"
TASKS_JSON = "label-studio-tasks.json"
CONFIG_XML = "label-studio-config.xml"
CODEBOOK_MD = "codebook.md"
SAMPLE_JSON = "sample.json"
DESIGN_CSV = "design.csv"  # --strategy stratified / uncertain: every draw (item, frame, band, weight)


def allocate(available: list[int], n: int) -> list[int]:
    """Split ``n`` as evenly as possible over cells holding ``available`` items (water-filling).

    >>> allocate([10, 1, 3], 7)
    [3, 1, 3]
    """
    take = [0] * len(available)
    left = min(n, sum(available))
    while left > 0:
        open_cells = [i for i, a in enumerate(available) if take[i] < a]
        share = max(1, left // len(open_cells))
        for i in open_cells:
            step = min(share, available[i] - take[i], left)
            take[i] += step
            left -= step
            if left == 0:
                break
    return take


def draw(members: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Draw up to ``n`` items per stratum, spread over sources; each item at most once.

    Parameters
    ----------
    members : DataFrame with item, stratum, source
        One row per (item, stratum) membership.
    n : int
        Items per stratum.
    seed : int

    Returns
    -------
    DataFrame with item, stratum, source, cell_size, weight
    """
    if n < 1:
        raise InputError(f"The sample size --n must be at least 1. Got {n} instead.")
    rng = np.random.default_rng(seed)
    taken: set = set()
    rows = []
    for stratum in sorted(members.stratum.unique(), key=str):
        group = members[(members.stratum == stratum) & ~members.item.isin(taken)]
        cells = sorted(group.groupby("source").item.agg(list).items(), key=lambda kv: str(kv[0]))
        counts = allocate([len(items) for _, items in cells], n)
        for (source, items), k in zip(cells, counts):
            if k == 0:
                continue
            picked = rng.choice(np.array(sorted(items), dtype=object), size=k, replace=False)
            taken.update(picked)
            rows += [{"item": it, "stratum": stratum, "source": source, "cell_size": len(items),
                      "weight": len(items) / k} for it in picked]
    return pd.DataFrame(rows, columns=["item", "stratum", "source", "cell_size", "weight"])


def _members(tables: dict, by: str, unit: str) -> pd.DataFrame:
    sents = tables["sentences"]
    coded = sents[~sents.is_fragment.astype(bool)]
    if by == "frame":
        if "sentence_frames" not in tables:
            raise RunStoreError("This run matched no frame catalog, so it cannot be sampled by frame; use --by topic "
                                "or analyze with --frames.")
        sf = tables["sentence_frames"]
        matched = sf[sf.matched.astype(bool)][["sentence_id", "frame_id"]]
        if unit == "sentence":
            pairs = matched.rename(columns={"sentence_id": "item", "frame_id": "stratum"})
            scored = coded[coded.sentence_id.isin(sf.sentence_id)]
            none = scored[~scored.sentence_id.isin(matched.sentence_id)].sentence_id
        else:
            pairs = _document_frames(tables, matched)
            none = tables["documents"].doc_id[~tables["documents"].doc_id.isin(pairs.item)]
        pairs = pd.concat([pairs, pd.DataFrame({"item": none, "stratum": NONE_CHOICE})], ignore_index=True)
    else:
        if "topic" not in sents:
            raise RunStoreError("This run has no topics (it was only ingested); run framing analyze first.")
        key = "sentence_id" if unit == "sentence" else "doc_id"
        src = coded if unit == "sentence" else sents
        pairs = src[[key, "topic"]].drop_duplicates().rename(columns={key: "item", "topic": "stratum"})
        if unit == "document":  # a document belongs to every topic its sentences are in, outliers only if nothing else
            clustered = pairs[pairs.stratum >= 0]
            pairs = pd.concat([clustered, pairs[(pairs.stratum < 0) & ~pairs.item.isin(clustered.item)]])
    items = tables["sentences"] if unit == "sentence" else tables["documents"]
    key = "sentence_id" if unit == "sentence" else "doc_id"
    return pairs.merge(items[[key, "source"]].rename(columns={key: "item"}), on="item", how="inner")


def _document_frames(tables: dict, matched: pd.DataFrame) -> pd.DataFrame:
    df = tables.get("document_frames")
    if df is not None:
        if "matched" in df:  # a row per document and frame, with the document-level decision
            df = df[df.matched.astype(bool)]
        return df[["doc_id", "frame_id"]].rename(columns={"doc_id": "item", "frame_id": "stratum"}).drop_duplicates()
    docs = matched.merge(tables["sentences"][["sentence_id", "doc_id"]], on="sentence_id")
    return docs[["doc_id", "frame_id"]].drop_duplicates().rename(columns={"doc_id": "item", "frame_id": "stratum"})


def _context(sents: pd.DataFrame) -> pd.DataFrame:
    ordered = sents.sort_values(["doc_id", "start"])
    grouped = ordered.groupby("doc_id").text
    return pd.DataFrame({"sentence_id": ordered.sentence_id,
                         "context_before": grouped.shift(1).fillna(""), "context_after": grouped.shift(-1).fillna("")})


def build_sample(tables: dict, by: str = "frame", n: int = 50, unit: str = "sentence", seed: int = 42,
                 strategy: str = "frame", meta: dict | None = None) -> pd.DataFrame:
    """The sample as a table, one row per item to code (see the module docstring for the design).

    ``strategy`` ``stratified`` or ``uncertain`` draws per frame by score band or nearest the
    decision (:mod:`framing.frames.designs`); the draws are in ``sample.attrs["design"]``.
    """
    if by not in ("frame", "topic"):
        raise InputError(f"The '--by' option must be frame or topic. Got {by!r} instead.")
    if unit not in ("sentence", "document"):
        raise InputError(f"The '--unit' option must be sentence or document. Got {unit!r} instead.")
    design = None
    if check_strategy(strategy) != "frame":
        if by != "frame":
            raise InputError(f"--strategy {strategy} draws by frame score; it cannot be combined with --by {by}.")
        items = tables["sentences"] if unit == "sentence" else tables["documents"]
        key = "sentence_id" if unit == "sentence" else "doc_id"
        sources = pd.Series(items.source.to_numpy(object), index=items[key].astype(str))
        drawn, design = design_sample(tables, meta or {}, strategy, n, unit, seed, sources)
    else:
        drawn = draw(_members(tables, by, unit), n, seed)
    if not len(drawn):
        raise InputError(f"Nothing to sample by {by}: the run has no {unit}s in any {by}.")
    sents, docs = tables["sentences"], tables["documents"]
    if unit == "sentence":
        info = sents[["sentence_id", "doc_id", "date", "role", "lang", "text"]].merge(_context(sents), on="sentence_id")
        out = drawn.merge(info.rename(columns={"sentence_id": "item"}), on="item", how="left")
        out.insert(1, "sentence_id", out.item)
    else:
        info = docs[["doc_id", "date", "role", "language", "title", "text"]].rename(columns={"language": "lang"})
        out = drawn.merge(info.rename(columns={"doc_id": "item"}), on="item", how="left")
        out = out.assign(context_before=out.title.fillna("").astype(str), context_after="").drop(columns="title")
        out.insert(1, "doc_id", out.item)
    out = out.drop(columns="item")
    out.insert(0, "sample_id", np.arange(1, len(out) + 1))
    out.insert(1, "stratum_kind", by)
    out["stratum"] = out.stratum.astype(str)
    out["stratum_label"] = out.stratum.map(_stratum_labels(tables, by)).fillna(out.stratum)
    out["predicted_frames"] = _predicted(tables, out, unit)
    out["frames"] = ""  # for coders working in the CSV: frame ids separated by ';', or none
    if "band" in out:  # after the columns coders read
        out.insert(len(out.columns) - 1, "band", out.pop("band"))
    out.attrs["design"] = design
    return out


def _stratum_labels(tables: dict, by: str) -> dict:
    if by == "frame":
        frames = tables.get("frames")
        labels = dict(zip(frames.frame_id, frames.label)) if frames is not None else {}
        return {**labels, NONE_CHOICE: "no frame matched"}
    topics = tables.get("topics")
    labels = {str(t): str(lab) for t, lab in zip(topics.topic, topics.label)} if topics is not None else {}
    return {**labels, "-1": "outliers (no topic)"}


def _predicted(tables: dict, out: pd.DataFrame, unit: str) -> list[str]:
    sf = tables.get("sentence_frames")
    if sf is None:
        return [""] * len(out)
    matched = sf[sf.matched.astype(bool)]
    if unit == "sentence":
        by_item = matched.groupby("sentence_id").frame_id.agg(lambda s: ";".join(sorted(s)))
        return [by_item.get(i, "") for i in out.sentence_id]
    # A document's prediction is the document-level decision every count uses (document_frames.matched),
    # not "some sentence matched": a coder is scored against what the run says of the document.
    docs = _document_frames(tables, matched)
    by_doc = docs.groupby("item").stratum.agg(lambda s: ";".join(sorted(set(map(str, s)))))
    return [by_doc.get(i, "") for i in out.doc_id]


def label_studio_tasks(sample: pd.DataFrame) -> list[dict]:
    """Label Studio import tasks: the text to code, its context and the ids to join back.

    Coders are blind to the stratum, the source and the model's guess: Label Studio's data
    manager would show any field of the task, so those stay in ``sample.csv`` only.
    """
    keep = [c for c in ("sample_id", "sentence_id", "doc_id", "date", "lang", "text",
                        "context_before", "context_after", "stratum_label") if c in sample]
    tasks = []
    for row in sample[keep].itertuples(index=False):
        data = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in zip(keep, row)}
        data["sample_id"] = int(data["sample_id"])
        data["topic_label"] = f"Topic: {data.pop('stratum_label')}" if sample.stratum_kind.iloc[0] == "topic" else ""
        data.pop("stratum_label", None)
        tasks.append({"data": data})
    return tasks


def run_catalogs(meta: dict) -> list[str]:
    """The catalogs a run matched: the ones it used (run.json ``frames.catalogs``, which include a default
    catalog such as news-frames), else the configured ones. A path that is not on this machine (a run
    made elsewhere) falls back to the bundled catalog of that name.
    """
    from ..frames.catalog import resolve_catalog_path

    used = (meta.get("frames") or {}).get("catalogs") or meta.get("config", {}).get("frames", {}).get("catalogs", [])
    names = []
    for c in used:
        if Path(str(c)).is_file():
            names.append(str(c))
            continue
        try:
            resolve_catalog_path(Path(str(c)).stem)
            names.append(Path(str(c)).stem)
        except CatalogError:  # a catalog this machine lacks: kept as named, so loading it says which
            names.append(str(c))
    return names


def write_sample(run_dir: str | Path, by: str = "frame", n: int = 50, unit: str = "sentence",
                 out: str | Path | None = None, seed: int | None = None, catalogs: list[str] | None = None,
                 strategy: str = "frame", raw: bool = False) -> Path:
    """Draw the sample and write it with its Label Studio project and codebook; returns the folder.

    Files: ``sample.csv``, ``label-studio-tasks.json``, ``label-studio-config.xml``, ``codebook.md``
    and ``sample.json`` (the design: run, by, unit, n, seed, catalogs, counts per stratum).
    ``sample.csv`` is for spreadsheets: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a ``'`` in front (:mod:`framing.spreadsheet`; read it back with
    :func:`framing.spreadsheet.read_csv`), unless ``raw``. The Label Studio tasks keep the text raw.
    """
    from ..frames.catalog import load_catalogs, resolve_catalog_path

    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    tables = store.read_tables(run_dir)
    seed = int(meta.get("seed", 42) if seed is None else seed)
    sample = build_sample(tables, by, n, unit, seed, strategy, meta)
    names = list(catalogs or run_catalogs(meta))
    catalog = load_catalogs([resolve_catalog_path(c) for c in names]) if names else None
    if by == "frame" and catalog is None:
        raise RunStoreError(f"Run {run_dir} names no frame catalog; pass --frames CATALOG to sample by frame.")
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = store.own_subfolder(run_dir, store.SAMPLES_DIR,
                                     f"{by}-{unit}" if strategy == "frame" else f"{strategy}-{unit}")

    files = {SAMPLE_CSV: lambda tmp: write_csv(sample, tmp, raw=raw)}
    if sample.attrs.get("design") is not None:  # item ids and bands only: no corpus text
        files[DESIGN_CSV] = lambda tmp: sample.attrs["design"].to_csv(tmp, index=False)

    def text(body: str):
        return lambda tmp: tmp.write_text(body, encoding="utf-8")

    files[TASKS_JSON] = text(json.dumps(label_studio_tasks(sample), ensure_ascii=False, indent=1, default=str))
    files[CONFIG_XML] = text(label_config(catalog, topics=by == "topic"))
    if catalog is not None:
        files[CODEBOOK_MD] = text(codebook(catalog, f"Codebook: {catalog.name}"))
    design = {"run": str(run_dir), "by": by, "unit": unit, "strategy": strategy, "n_per_stratum": n, "seed": seed,
              "catalogs": [str(c) for c in names], "items": len(sample),
              "strata": sample.groupby(["stratum", "source"]).size().rename("items").reset_index().to_dict("records")}
    files[SAMPLE_JSON] = text(json.dumps(design, indent=1, default=str))
    # each file is new (a link at its name is replaced, never written through), and a sample coders filled in
    # (or a file of yours in the --out folder) is never replaced: the command stops before writing anything
    store.write_owned_files(folder, files)
    return folder


def draw_sample(run_dir: str | Path, by: str = "frame", n: int = 50, unit: str = "sentence", *,
           strategy: str = "frame", out: str | Path | None = None, seed: int | None = None) -> Path:
    """The Python API of ``framing sample``: draw and write a sample; returns its folder (see :func:`write_sample`).

    >>> folder = framing.draw_sample("reports/seeds", strategy="stratified", n=20)  # doctest: +SKIP
    """
    return write_sample(run_dir, by, n, unit, out, seed, None, strategy)


"""A run folder seen from Python: tables as DataFrames, figures as Plotly objects, the report.

Returned by :func:`framing.analyze` and :func:`framing.load_run`; see
:mod:`framing.api` for examples on the tiny corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from . import store
from .errors import RunStoreError

# Other names for the report's figures (used only when the report has no figure of that name).
FIGURE_ALIASES = {
    "frames_by_source": "frames_per_source",
    "frames_per_source": "frames_by_source",
    "topics_by_source": "topics_per_source",
    "map": "sentence_map",
}


class Figures:
    """The report's figures of a run, as Plotly figures: ``run.figures.frames_by_source()``.

    ``names()`` lists the figures the run's tables allow; each is a method
    returning a fresh ``plotly.graph_objects.Figure``.
    """

    def __init__(self, run: "Run"):
        self._run = run

    def _build(self) -> dict:
        from .report import build_figures

        cfg = self._run.meta.get("config", {})
        return build_figures(self._run.tables, seed=int(self._run.meta.get("seed", 42)),
                             max_points=int(cfg.get("report", {}).get("max_points", 20000)))

    def names(self) -> list[str]:
        """The figures this run has (its tables decide)."""
        return list(self._build())

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        def figure():
            figs = self._build()
            key = name if name in figs else FIGURE_ALIASES.get(name, name)
            if key not in figs:
                raise RunStoreError(f"This run has no figure '{name}'; it has: {', '.join(figs) or 'none'} "
                                    f"(aliases: {', '.join(FIGURE_ALIASES)}).")
            return figs[key]

        figure.__name__ = name
        return figure

    def __dir__(self):
        return sorted(set(self.names()) | set(FIGURE_ALIASES))


class Run:
    """A written run: ``run_dir``, ``meta`` (run.json) and its tables, read on first use.

    Attributes such as ``documents``, ``sentences``, ``topics``, ``frames``,
    ``sentence_frames``, ``document_frames`` are the tables of the same name;
    ``comparisons`` holds the ``compare_*`` tables; ``topic_prevalence`` and
    ``source_frames`` are views of them.
    """

    def __init__(self, run_dir: str | Path, meta: dict[str, Any]):
        self.run_dir = Path(run_dir)
        self.meta = meta
        self._tables: dict[str, pd.DataFrame] | None = None

    def __repr__(self) -> str:
        counts = self.meta.get("counts", {})
        return (f"Run({str(self.run_dir)!r}: {counts.get('documents', '?')} documents, "
                f"{counts.get('sentences', '?')} sentences, tables {', '.join(self.table_names())})")

    @property
    def seed(self) -> int:
        return int(self.meta.get("seed", 42))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the run, by name (read once from ``tables/*.parquet``)."""
        if self._tables is None:
            self._tables = store.read_tables(self.run_dir)
        return self._tables

    def table_names(self) -> list[str]:
        return sorted(p.stem for p in (self.run_dir / store.TABLES_DIR).glob("*.parquet"))

    def table(self, name: str) -> pd.DataFrame:
        """One table by name; a missing one is an error naming those that exist."""
        if name not in self.tables:
            hint = " Frames were not matched: analyze with frames=[...] or --frames." if "frame" in name else ""
            raise RunStoreError(f"Run {self.run_dir} has no table '{name}'; it has: {', '.join(sorted(self.tables))}.{hint}")
        return self.tables[name]

    documents = property(lambda self: self.table("documents"), doc="One row per article, comment or post.")
    sentences = property(lambda self: self.table("sentences"), doc="One row per sentence, with its topic.")
    topics = property(lambda self: self.table("topics"), doc="One row per topic.")
    @property
    def topic_prevalence(self) -> pd.DataFrame:
        """Topics per source and month, a view of ``compare_trend`` (by source, kind topic):
        topic, label, by, group, month, sentences, group_sentences, share_of_sentences (of the
        source's clustered sentences that month), documents, group_documents, share_of_documents.
        See :func:`framing.compare.topic_prevalence` for another grouping."""
        from .compare import topic_prevalence

        if "compare_trend" not in self.tables and "topic_prevalence" in self.tables:
            return self.tables["topic_prevalence"]  # a run written before compare_trend was its home
        return topic_prevalence(self.table("compare_trend"), "source")

    frames = property(lambda self: self.table("frames"), doc="One row per frame of the catalogs.")
    sentence_frames = property(lambda self: self.table("sentence_frames"))
    document_frames = property(lambda self: self.table("document_frames"))
    @property
    def source_frames(self) -> pd.DataFrame:
        """Frames per source, a view of ``compare_prevalence`` (by source, kind frame) under the
        column names of the former ``source_frames`` table: source, frame_id, matched_sentences,
        documents, share (of the source's scored sentences), document_share (of its documents
        with a scored sentence). The shares are computed once, in :mod:`framing.compare`."""
        if "compare_prevalence" not in self.tables and "source_frames" in self.tables:
            return self.tables["source_frames"]  # a run written before compare was their home
        cp = self.table("compare_prevalence")
        cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame")]
        return cp.rename(columns={"group": "source", "item": "frame_id", "sentences": "matched_sentences",
                                  "share_of_sentences": "share", "share_of_documents": "document_share"})[
            ["source", "frame_id", "matched_sentences", "documents", "share", "document_share"]].reset_index(drop=True)

    topic_frames = property(lambda self: self.table("topic_frames"))

    @property
    def comparisons(self) -> dict[str, pd.DataFrame]:
        """The comparison tables (``compare_*``) and the topic prevalence (a view of ``compare_trend``), by name."""
        out = {k: v for k, v in self.tables.items() if k.startswith("compare_")}
        if "compare_trend" in self.tables or "topic_prevalence" in self.tables:
            out["topic_prevalence"] = self.topic_prevalence
        return out

    @property
    def figures(self) -> Figures:
        return Figures(self)

    def report(self, path: str | Path | None = None) -> Path:
        """Write the HTML report of this run (default: the run's own report.html); returns its path."""
        from .report import rebuild_report

        return rebuild_report(self.run_dir, path)

    # -- workflows: thin wrappers over the modules the command line uses -----------------

    def _config(self):
        from .config import Config

        return Config.model_validate(self.meta["config"])

    def compare(self, by: str, a: str | None = None, b: str | None = None) -> dict[str, pd.DataFrame]:
        """Comparison tables by any documents column (``role``, ``month``, a kept field); not written to the run.

        ``a`` and ``b`` compare two groups with each other instead of each group with the rest.
        """
        from .compare import compare_tables

        return compare_tables(self.tables, by, self._config().compare, self.seed, a, b)

    def export(self, format: str = "csv", out: str | Path | None = None, raw: bool = False) -> Path:
        """Tidy long-format tables (see :func:`framing.jobs.export.export_run`); returns the folder."""
        from .jobs.export import export_run

        return export_run(self.run_dir, format, out, raw=raw)

    def sample(self, by: str = "frame", n: int = 50, unit: str = "sentence", out: str | Path | None = None,
               seed: int | None = None) -> pd.DataFrame:
        """Write a coding sample with its Label Studio project and codebook; returns the sample table."""
        from .jobs.sample import SAMPLE_CSV, write_sample
        from .spreadsheet import read_csv

        folder = write_sample(self.run_dir, by, n, unit, out, seed)
        return read_csv(folder / SAMPLE_CSV, keep_default_na=False)  # the text as it is, without the formula guard

    def evaluate(self, labels: str | Path | pd.DataFrame, level: str = "auto"):
        """Score this run's frame decisions (its catalogs, embedder and thresholds) against human labels.

        ``labels``: a Label Studio JSON export, a CSV/JSONL label file, or a table with ``frames``.
        Returns :class:`framing.frames.evaluate.EvaluationResult`.
        """
        from .embed import get_embedder
        from .frames.catalog import load_catalogs, resolve_catalog_path
        from .frames.evaluate import evaluate_catalog, read_labels

        info = self.meta.get("frames")
        if not info or not info.get("catalogs"):
            raise RunStoreError(f"Run {self.run_dir} matched no frames; there is nothing to evaluate.")
        table = labels if isinstance(labels, pd.DataFrame) else read_labels(labels)
        catalog = load_catalogs([resolve_catalog_path(c) for c in info["catalogs"]])
        cfg = self._config()
        embedder = get_embedder(self.meta["embedding"]["model"], cfg.embedding)
        return evaluate_catalog(catalog, table, embedder, level=level, sentences=self.sentences,
                                threshold=info.get("thresholds") or cfg.frames.threshold)

    def apply(self, paths, out: str | Path | None = None, overrides: list[str] | None = None) -> "Run":
        """This run's topics and frames on new documents, without refitting (a new run linked to this one)."""
        from .jobs.apply import apply_run

        paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        return load_run(apply_run(self.run_dir, paths, out, overrides or []).run_dir)

    def stability(self, seeds: int = 5) -> pd.DataFrame:
        """Refit the topics with ``seeds`` other seeds; writes and returns ``topic_stability``."""
        from .jobs.stability import topic_stability

        table = topic_stability(self.run_dir, seeds)
        self.meta = store.read_run_json(self.run_dir)
        self._tables = None
        return table

    def rerun(self, out: str | Path | None = None) -> "Run":
        """Repeat this run from its run.json into ``out``; run.json ``rerun`` says what came out identical."""
        from .jobs.rerun import rerun

        return load_run(rerun(self.run_dir, out).run_dir)


def load_run(run_dir: str | Path) -> "Run":
    """Open a run folder written by ``framing analyze`` (or the API) as a :class:`Run`.

    Raises
    ------
    RunStoreError
        When the folder has no run.json or no tables.
    """
    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    if not (run_dir / store.TABLES_DIR).is_dir():
        raise RunStoreError(f"{run_dir} has a run.json but no {store.TABLES_DIR}/ folder; run the analysis again.")
    return Run(run_dir, meta)

"""Commands for frame catalogs: ``framing frames validate|list|suggest`` and ``framing evaluate``.

Thin wrappers over :mod:`framing.frames`; errors are :class:`FramingError`
subclasses that the main CLI prints as sentences.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cli_support import user_errors
from ..errors import CatalogError, RunStoreError
from .catalog import bundled_catalogs, load_catalog

frames_app = typer.Typer(no_args_is_help=True, add_completion=False,
                         help="Frame catalogs: validate, list, suggest new frames.")


@frames_app.command("validate")
@user_errors
def validate(file: Path = typer.Argument(..., help="Catalog YAML file to check.")) -> None:
    """Check a catalog: schema, duplicate ids, parents, missing examples."""
    cat = load_catalog(file)
    n_anchors = sum(len(f.anchors) for f in cat.frames)
    n_neg = sum(len(f.near_misses) for f in cat.frames)
    few = [f.id for f in cat.matchable() if len(f.anchors) < 4]
    typer.echo(f"OK {file}: catalog '{cat.name}', {len(cat)} frames, {n_anchors} anchors, {n_neg} negatives, "
               f"languages: {', '.join(cat.languages) or 'not declared'}.")
    if few:
        typer.echo(f"Note: fewer than 4 anchors in {', '.join(few)}; calibration is weak with few examples.")


@frames_app.command("list")
@user_errors
def list_frames(files: Optional[List[Path]] = typer.Argument(None, help="Catalogs (default: all bundled)."),
                examples: bool = typer.Option(False, "--examples", help="Also print the anchors.")) -> None:
    """Show the frames of catalogs: id, label, parent, anchors per language, description."""
    paths = list(files) if files else bundled_catalogs()
    if not paths:
        raise CatalogError("No catalog given and none found in configs/frames.")
    for path in paths:
        cat = load_catalog(path)
        typer.echo(f"# {cat.name} ({path}): {len(cat)} frames")
        for f in cat.frames:
            per_lang = ", ".join(f"{lang} {len(t)}" for lang, t in f.examples.items()) or "narrative"
            parent = f" < {f.parent}" if f.parent else ""
            typer.echo(f"{f.id}{parent}  [{per_lang}]  {f.label}")
            typer.echo(f"    {f.description}")
            if examples:
                for lang, texts in f.examples.items():
                    for t in texts:
                        typer.echo(f"    + ({lang}) {t}")
                for lang, texts in f.negatives.items():
                    for t in texts:
                        typer.echo(f"    - ({lang}) {t}")
        typer.echo("")


@frames_app.command("suggest")
@user_errors
def suggest(run_dir: Path = typer.Argument(..., help="A run folder written by framing analyze."),
            out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the YAML stub here."),
            min_sources: int = typer.Option(2, "--min-sources", min=1,
                                            help="A candidate recurs in at least this many sources.")) -> None:
    """Write candidate frames (recurring topics no catalog frame covers) as a catalog stub."""
    from .suggest import suggest_from_run

    text = suggest_from_run(run_dir, min_sources=min_sources)
    if "- id: " not in text:
        typer.echo(f"No candidate frames in {run_dir}: every topic that recurs in {min_sources} or more sources "
                   "already expresses a catalog frame (or no topic recurs). Nothing written.", err=True)
        return
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise RunStoreError(f"Cannot write {out}: {exc.strerror}. Choose another --out.") from None
        typer.echo(f"Wrote {text.count('- id: ')} candidate frames to {out}")


def _model_for(model: str, labels, sentences):
    from ..config import EmbeddingConfig
    from ..embed import get_embedder, resolve_model

    langs: list = []
    if "lang" in labels:
        langs = labels["lang"].tolist()
    elif sentences is not None and "lang" in sentences:
        langs = sentences["lang"].tolist()
    spec, reason = resolve_model(model, langs, EmbeddingConfig())
    typer.echo(reason)
    return get_embedder(spec)


@user_errors
def evaluate_command(
    frames: Path = typer.Option(..., "--frames", "-f", help="Catalog YAML file (or a bundled catalog name)."),
    labels: Path = typer.Option(..., "--labels", "-l", help="Labels: CSV or JSONL with a 'frames' field."),
    model: str = typer.Option("auto", "--model", "-m", help="Embedder: auto, use-multilingual, "
                              "sentence-transformers, hashing, or a model name. Use the one of your run."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t",
                                              help="One threshold for every frame (default: calibrated)."),
    run: Optional[Path] = typer.Option(None, "--run", help="Run folder, to resolve sentence_id / doc_id labels."),
    level: str = typer.Option("auto", "--level", help="auto, sentence or document."),
) -> None:
    """Score a catalog against human labels: per-frame P/R/F1, micro/macro F1, suggested thresholds."""
    import pandas as pd

    from .evaluate import evaluate_catalog, format_report, read_labels

    if level not in ("auto", "sentence", "document"):
        raise CatalogError(f"The '--level' option must be auto, sentence or document. Got {level!r} instead.")
    catalog = load_catalog(frames)
    table = read_labels(labels)
    sentences = None
    if run is not None:
        path = run / "tables" / "sentences.parquet"
        if not path.exists():
            raise CatalogError(f"Run folder {run} has no tables/sentences.parquet; give a folder written by analyze.")
        sentences = pd.read_parquet(path)
    embedder = _model_for(model, table, sentences)
    result = evaluate_catalog(catalog, table, embedder, level=level, sentences=sentences,
                              threshold="calibrated" if threshold is None else threshold)
    typer.echo(format_report(result))

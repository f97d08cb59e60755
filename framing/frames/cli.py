"""Commands for frame catalogs: ``framing frames validate|list|suggest`` and ``framing evaluate``.

Thin wrappers over :mod:`framing.frames`; errors are :class:`FramingError`
subclasses that the main CLI prints as sentences.
"""

from __future__ import annotations

import dataclasses
import os
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
    outside = cat.external_counters()
    if outside:
        typer.echo("Note: counter-frames not defined in this file (load their catalog with it): "
                   + ", ".join(f"{f} -> {c}" for f, c in outside) + ".")


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


def _refuse_foreign_file(out: Path, first_line: str) -> None:
    """``--out`` may replace an earlier stub of ``frames suggest``, never another file (a catalog of yours)."""
    if not os.path.lexists(out):
        return
    try:
        with open(out, encoding="utf-8", errors="replace") as fh:
            ours = fh.readline().rstrip("\n") == first_line
    except OSError:
        ours = False
    if not ours or out.is_symlink():
        raise RunStoreError(f"{out} already exists and is not a stub written by `framing frames suggest` (a catalog "
                            "of yours?): framing does not replace it. Choose a new file for --out.")


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
        _refuse_foreign_file(out, text.splitlines()[0])
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise RunStoreError(f"Cannot write {out}: {exc.strerror}. Choose another --out.") from None
        typer.echo(f"Wrote {text.count('- id: ')} candidate frames to {out}")


def _prepare_coded(frames, labels, model, run, level, config, set_, trained_model: bool = False):
    """Catalog, labels and the labelled items prepared like ``framing analyze`` prepares a corpus.

    ``trained_model``: the catalog's trained model will score the items, so
    they are embedded with its embedder (``--model auto``), and a named model
    that is not it stops here, before any embedding, with the command that
    re-trains the catalog for it.
    """
    from ..config import load_config
    from .catalog import resolve_catalog_path
    from .labelled import prepare_labelled, read_labels, resolve_label_ids
    from .train import model_for_trained_catalog

    cfg = load_config([config] if config else [], list(set_ or []))
    path = resolve_catalog_path(frames)
    catalog = load_catalog(path)
    table = read_labels(labels, catalog)
    gold = resolve_label_ids(table, catalog)
    choice = None
    if trained_model or (model == "auto" and run is None):
        choice = model_for_trained_catalog(model if trained_model else "auto", [path], cfg.embedding)
    corpus = prepare_labelled(table, level, cfg, run=run, model=None if model == "auto" else model,
                              say=lambda m: typer.echo(m, err=True), choice=choice)
    return cfg, path, catalog, gold, corpus


def _pooling(value: str) -> str:
    from .train import POOLINGS

    if value not in POOLINGS:
        raise CatalogError(f"The '--pooling' option must be {', '.join(POOLINGS[:-1])} or {POOLINGS[-1]}. "
                           f"Got {value!r} instead.")
    return value


ModelOpt = typer.Option("auto", "--model", "-m", help="Embedder: auto (chosen from the items' languages like "
                        "analyze does, or the run's), use-multilingual, sentence-transformers, hashing, or a model name.")
RunOpt = typer.Option(None, "--run", help="Run folder, to resolve sentence_id / doc_id labels (and its model).")
LevelOpt = typer.Option("auto", "--level", help="auto, sentence or document.")
ConfigOpt = typer.Option(None, "--config", "-c", help="YAML file of config overrides (language, segment, embedding, frames).")
SetOpt = typer.Option(None, "--set", "-s", help="Override one key: section.key=value (repeatable).")
POOLINGS = ("pooled (mean- and max-pooled sentence embeddings, settings by inner CV), stacked (sentence-score "
            "distributions and mean embedding of every frame), sentences (their sentences, top-k pooled) or mean "
            "(their mean embedding).")
"""The ways coded documents are learned (``--pooling`` of evaluate --cv and of train)."""


@user_errors
def evaluate_command(
    frames: Path = typer.Option(..., "--frames", "-f", help="Catalog YAML file (or a bundled catalog name)."),
    labels: Path = typer.Option(..., "--labels", "-l", help="Coded items: CSV, JSONL or a Label Studio JSON export "
                                "with a 'frames' field."),
    model: str = ModelOpt,
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t",
                                              help="One sentence threshold for every frame (default: calibrated)."),
    run: Optional[Path] = RunOpt,
    level: str = LevelOpt,
    cv: int = typer.Option(0, "--cv", min=0, help="k > 1: cross-validate the trained classifier in k folds "
                           "instead of scoring the catalog alone."),
    pooling: str = typer.Option("pooled", "--pooling", help=f"With --cv, how coded documents are learned: {POOLINGS}"),
    score: str = typer.Option("auto", "--score", help="What decides: anchors (the catalog alone), trained (the "
                              "catalog's saved model, or with --cv a model trained afresh per fold) or both; "
                              "or any registered frame scorer (names joined by commas). "
                              "auto: trained when the catalog has a model or --cv is given, else anchors."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[List[str]] = SetOpt,
) -> None:
    """Score frame decisions against human labels: per-frame P/R/F1 with intervals, micro/macro F1."""
    from .catalog import resolve_catalog_path
    from .evaluate import evaluate_scorers, format_report, scorer_names
    from .scorers import FRAME_SCORERS, EvaluationInput
    from .train import trained_path

    if level not in ("auto", "sentence", "document"):
        raise CatalogError(f"The '--level' option must be auto, sentence or document. Got {level!r} instead.")
    if cv == 1:
        raise CatalogError("The '--cv' option needs at least 2 folds (e.g. --cv 5); 0 scores the catalog alone.")
    pooling = _pooling(pooling)
    saved = trained_path(resolve_catalog_path(frames))
    has_model = saved.exists()
    names = scorer_names(score, has_model, cv)
    saved_model = any(FRAME_SCORERS.get(n)().uses_saved_model(cv) for n in names)
    if saved_model and not has_model:
        raise CatalogError(f"--score {score} needs a trained model, and {frames} has none ({saved} does not exist). "
                           f"Train one with: framing frames train {frames} --labels CODED, or cross-validate a "
                           "model trained afresh with --cv 5, or score the catalog alone with --score anchors.")
    cfg, _, catalog, gold, corpus = _prepare_coded(frames, labels, model, run, level, config, set_,
                                                   trained_model=saved_model)
    results = evaluate_scorers(names, EvaluationInput(
        catalog=catalog, corpus=corpus, gold=gold, cfg=cfg, saved_model=saved, cv=cv, pooling=pooling,
        threshold="calibrated" if threshold is None else threshold))
    typer.echo("\n\n".join(format_report(r) for r in results))


@frames_app.command("train")
@user_errors
def train(
    catalog: Path = typer.Argument(..., help="Catalog YAML file (or a bundled catalog name); the model is saved beside "
                                   "it (a bundled catalog is first copied to the working folder)."),
    labels: Path = typer.Option(..., "--labels", "-l", help="Coded items: CSV, JSONL or a Label Studio JSON export."),
    model: str = ModelOpt,
    run: Optional[Path] = RunOpt,
    level: str = LevelOpt,
    pooling: str = typer.Option("pooled", "--pooling", help=f"How coded documents are learned: {POOLINGS}"),
    no_prior: bool = typer.Option(False, "--no-prior", help="With --pooling pooled, learn from the coded documents "
                                  "only, without the catalog's anchors as prior."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[List[str]] = SetOpt,
) -> None:
    """Fit a per-frame classifier on coded examples; analyze then uses it (anchors for untrained frames)."""
    from ..embed import cache_from_config
    from .catalog import resolve_catalog_path
    from .train import save_trained, train_frames, trained_path, working_copy

    pooling = _pooling(pooling)
    target, copied = working_copy(resolve_catalog_path(catalog))  # before embedding: a foreign ./NAME.yaml stops here
    cfg, path, cat, gold, corpus = _prepare_coded(catalog, labels, model, run, level, config, set_)
    trained = train_frames(cat, path, corpus, gold, seed=cfg.seed, pooling=pooling, labels_file=str(labels),
                           cache=cache_from_config(cfg.embedding), prior=not no_prior)
    if copied:
        trained = dataclasses.replace(trained, path=trained_path(target))
    out = save_trained(trained)
    if copied:
        typer.echo(f"{path.stem} is a bundled catalog: it was copied to {target} and the model is saved beside "
                   f"the copy. Analyze with --frames {target} to use it.")
    clf = trained.classifier
    typer.echo(f"Trained {len(clf.frame_ids_)} frames on {len(gold)} {corpus.level}s with {corpus.model}: "
               f"{', '.join(clf.frame_ids_)}. Saved {out}.")
    for fid, why in clf.skipped_.items():
        typer.echo(f"Not trained: {fid} ({why}); it keeps the anchors.")
    typer.echo(f"Check it with: framing evaluate --frames {target} --labels {labels} --cv 5 (a model trained afresh "
               "per fold), or score the saved model on coded items it was not trained on: "
               f"framing evaluate --frames {target} --labels NEW_CODED")

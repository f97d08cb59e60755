"""Commands for technique catalogs: ``framing techniques list|validate|train|evaluate``.

Thin wrappers over :mod:`framing.techniques`; errors are :class:`FramingError`
subclasses that the main CLI prints as sentences.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cli_support import user_errors
from ..errors import CatalogError

techniques_app = typer.Typer(no_args_is_help=True, add_completion=False,
                             help="Propaganda-technique catalogs: list, validate, train, evaluate.")

CatalogArg = typer.Argument("propaganda", help="Technique catalog YAML file or bundled name (default propaganda).")
SpansOpt = typer.Option(..., "--ptc", "--spans", help="Folder of coded spans: articles.jsonl + spans.tsv, or a copy "
                        "of the PTC release (article*.txt + a .labels file).")
ModelOpt = typer.Option("auto", "--model", "-m", help="Embedder: auto (chosen from the languages like analyze), "
                        "sentence-transformers, use-multilingual, hashing, or a model name. Analyze must embed "
                        "with the same one to use the trained model.")
ConfigOpt = typer.Option(None, "--config", "-c", help="YAML file of config overrides (language, segment, embedding).")
SetOpt = typer.Option(None, "--set", "-s", help="Override one key: section.key=value (repeatable).")


@techniques_app.command("list")
@user_errors
def list_techniques(files: Optional[List[Path]] = typer.Argument(None, help="Catalogs (default: all bundled).")) -> None:
    """Show the techniques of catalogs: id, where it is located, label, definition."""
    from .catalog import bundled_technique_catalogs, load_technique_catalog
    from .model import model_path

    paths = list(files) if files else bundled_technique_catalogs()
    for path in paths:
        cat = load_technique_catalog(path)
        trained = model_path(cat.path)
        typer.echo(f"# {cat.name} ({cat.path}): {len(cat)} techniques; "
                   + (f"trained model {trained}" if trained.is_file() else "no trained model (zero-shot)"))
        for tid in cat.ids:
            t = cat.get(tid)
            typer.echo(f"{tid}  [{cat.span_of(tid)}]  {t.label}")
            typer.echo(f"    {t.description}")
        typer.echo("")


@techniques_app.command("validate")
@user_errors
def validate(file: Path = typer.Argument(..., help="Technique catalog YAML file to check.")) -> None:
    """Check a technique catalog: schema, duplicate ids, aliases, span kinds, examples per language."""
    from .catalog import load_technique_catalog

    cat = load_technique_catalog(file)
    n = sum(len(cat.get(t).anchors) for t in cat.ids)
    typer.echo(f"OK {file}: catalog '{cat.name}', {len(cat)} techniques, {n} examples, languages: "
               f"{', '.join(cat.frames.languages) or 'not declared'}.")


def _coded(catalog, spans_dir, model, config, set_):
    from ..config import load_config
    from .catalog import load_technique_catalog, resolve_technique_catalog_path
    from .ptc import read_coded_spans
    from .train import prepare_coded

    cfg = load_config([config] if config else [], list(set_ or []))
    path = resolve_technique_catalog_path(catalog)
    cat = load_technique_catalog(path)
    documents, spans = read_coded_spans(spans_dir)
    coded = prepare_coded(cat, documents, spans, cfg, model=None if model == "auto" else model,
                          say=lambda m: typer.echo(m, err=True))
    for name, n in sorted(coded.unknown.items()):
        typer.echo(f"Note: {n} spans coded '{name}' name no technique of {cat.name}; left out (add it to a "
                   "technique's aliases to use them).", err=True)
    return cfg, path, cat, coded


@techniques_app.command("train")
@user_errors
def train(
    catalog: str = CatalogArg,
    spans: Path = SpansOpt,
    model: str = ModelOpt,
    config: Optional[Path] = ConfigOpt,
    set_: Optional[List[str]] = SetOpt,
) -> None:
    """Learn sentence, span and span-technique classifiers from coded spans; analyze then uses them.

    The model is saved beside the catalog as <name>.techniques.npz (a bundled catalog is first copied to the
    working folder). Train on your own copy of PTC or your own coded spans: the package ships no model.
    """
    from .model import model_path
    from .train import fit_model, save_beside

    cfg, path, cat, coded = _coded(catalog, spans, model, config, set_)
    typer.echo(f"Training on {len(coded.documents)} documents, {len(coded.spans)} spans, {len(coded.sentences)} "
               f"sentences with {coded.model} ...", err=True)
    fitted = fit_model(cat, coded, seed=cfg.seed)
    out = save_beside(fitted, path, coded, source=str(spans))
    if out != model_path(path):
        typer.echo(f"{path.stem} is a bundled catalog: it was copied to {out.with_name(path.name)} and the model is "
                   f"saved beside the copy. Analyze with --techniques {out.with_name(path.name)} to use it.")
    skipped = [t for t in cat.ids if t not in fitted.trained_]
    typer.echo(f"Trained {len(fitted.trained_)} techniques ({', '.join(fitted.trained_)}); saved {out}.")
    if skipped:
        typer.echo(f"Too few coded sentences for: {', '.join(skipped)} (they are never decided by the model).")
    typer.echo("Check it on other coded documents with: framing techniques evaluate CATALOG --spans OTHER_DIR")


@techniques_app.command("evaluate")
@user_errors
def evaluate(
    catalog: str = CatalogArg,
    spans: Path = SpansOpt,
    model: str = ModelOpt,
    score: str = typer.Option("auto", "--score", help="trained (the model beside the catalog), catalog "
                              "(zero-shot) or both; auto: both when a model exists, else catalog."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[List[str]] = SetOpt,
) -> None:
    """Score technique decisions against coded spans: span identification, technique classification of the
    coded spans, sentence level (propaganda or not) and document level, per technique with intervals."""
    print_evaluation(catalog, spans, model, score, config, set_)


def print_evaluation(catalog, spans, model, score, config, set_) -> None:
    """What ``framing techniques evaluate`` and ``framing evaluate --techniques`` print."""
    import warnings

    from ..embed import cache_from_config, embed_texts
    from .evaluate import evaluate_decisions, format_evaluation
    from .model import model_path
    from .scorers import catalog_matcher, classify_spans_catalog, classify_spans_trained, score_catalog, score_trained
    from .train import load_model_for

    if score not in ("auto", "trained", "catalog", "both"):
        raise CatalogError(f"The '--score' option must be auto, trained, catalog or both. Got {score!r} instead.")
    cfg, path, cat, coded = _coded(catalog, spans, model, config, set_)
    cache = cache_from_config(cfg.embedding)
    fitted = load_model_for(path, coded.embedder) if score != "catalog" else None
    if score == "trained" and fitted is None:
        raise CatalogError(f"--score trained needs a model trained with {coded.model} beside {path} "
                           f"({model_path(path)}). Train one with: framing techniques train {catalog} --spans DIR.")
    if score == "auto":
        score = "both" if fitted is not None else "catalog"
    out = []
    if score in ("trained", "both"):
        def encode(texts):
            return embed_texts(list(texts), coded.embedder, cache)[0]

        dec = score_trained(cat, coded.sentences, coded.vectors, model=fitted, encode=encode,
                            doc_texts=coded.doc_texts())
        tc = classify_spans_trained(fitted, coded.spans, coded.span_vectors, coded.sentences, coded.vectors,
                                    coded.doc_texts())
        out.append(format_evaluation(evaluate_decisions(coded, dec, tc, cat, seed=cfg.seed), f"trained ({path})"))
    if score in ("catalog", "both"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dec = score_catalog(cat, coded.sentences, coded.vectors, embedder=coded.embedder, cache=cache,
                                seed=cfg.seed, corroborate=cfg.techniques.corroborate)
            tc = classify_spans_catalog(catalog_matcher(cat, coded.embedder, cache, cfg.seed), coded.span_vectors)
        out.append(format_evaluation(evaluate_decisions(coded, dec, tc, cat, seed=cfg.seed),
                                     f"catalog zero-shot ({path})"))
    typer.echo("\n\n".join(out))

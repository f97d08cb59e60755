"""The command line: thin wrappers over the jobs (:mod:`framing.jobs`) and friends.

User errors (``FramingError``) are printed as a sentence on stderr with exit
code 2; only bugs show a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer
from .cli_support import ForceOpt, err_console, user_errors
from .errors import FramingError

app = typer.Typer(
    name="framing",
    help="Detect narratives and propaganda framing across sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

FIELD_FLAGS = ("text", "id", "source", "date", "title", "url", "language", "author", "parent", "role")


def _say(message: str) -> None:
    err_console.print(message, markup=False)


def _warn(line: str) -> None:
    # Warnings are printed even with --quiet: they say what a researcher must know about the run.
    err_console.print(line, markup=False)


def _warning_summary(meta: dict, say) -> None:
    n = len(meta.get("warnings", []))
    if n:
        say(f"{n} warning(s) above; run.json lists them under 'warnings'.")


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    # Users need the message, not the line of framing's code that raised it (run.json keeps the full record).
    return f"Warning ({category.__name__}): {' '.join(str(message).split())}\n"


@app.callback()
def _every_command(ctx: typer.Context) -> None:
    # Every command prints warnings as one line for people; --verbose (where a command has it) restores
    # Python's own format. Undone when the command ends, so a caller's process keeps its own.
    import warnings

    previous = warnings.formatwarning
    warnings.formatwarning = _one_line_warning
    ctx.call_on_close(lambda: setattr(warnings, "formatwarning", previous))


def _setup_logging(verbose: bool) -> None:
    """Plain one-line warnings and logs for people (only when the CLI runs, never at import)."""
    import warnings

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    warnings.formatwarning = (_one_line_warning if not verbose
                           else getattr(warnings, "_formatwarning_orig", warnings.formatwarning))
    if not verbose:
        # trafilatura logs every discarded HTML fragment as a warning.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _field_overrides(fields: dict[str, Optional[str]]) -> list[str]:
    return [f"corpus.fields.{k}={v}" for k, v in fields.items() if v is not None]


@dataclasses.dataclass(frozen=True)
class _JobOptions:
    """The options ingest and analyze share (:func:`_job_options` adds them to both commands)."""

    out: Optional[Path]
    config: Optional[Path]
    set_: Optional[List[str]]
    verbose: bool
    quiet: bool
    scheduler: Optional[str]
    force: bool
    fields: dict


def _prepare(paths, opts: _JobOptions):
    """What ingest and analyze share: logging, the layered config, and where messages go."""
    from .jobs.common import load_run_config

    _setup_logging(opts.verbose)
    cfg = load_run_config(paths, opts.config, [*(opts.set_ or []), *_field_overrides(opts.fields)])
    return cfg, (lambda _m: None) if opts.quiet else _say


def _run_job(paths, opts: _JobOptions, job):
    """What ingest and analyze share: the config, where messages go, the scheduler, replacing a folder.

    ``job(cfg, command=..., say=..., progress=..., warn=...)`` runs the job; returns its run and ``say``.
    """
    from .jobs.common import command_line
    from .parallel import use_scheduler
    from .store import allow_replacing

    cfg, say = _prepare(paths, opts)
    with use_scheduler(opts.scheduler, say), allow_replacing(opts.force):
        run = job(cfg, command=command_line(), say=say, progress=not opts.quiet, warn=_warn)
    return run, say


PathsArg = typer.Argument(..., help="Folders of .txt/.md/.html files (with an optional manifest) "
                          "or .jsonl/.json/.csv/.parquet files.", show_default=False)
ConfigOpt = typer.Option(None, "--config", "-c", help="YAML file of config overrides.")
SetOpt = typer.Option(None, "--set", "-s", help="Override one key: section.key=value (repeatable).")
OutOpt = typer.Option(None, "--out", "-o", help="Run folder to write (default reports/<corpus name>/).")
VerboseOpt = typer.Option(False, "--verbose", "-v", help="Log each step.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing but errors.")
SchedulerOpt = typer.Option(None, "--scheduler", help="Run segmentation and embedding partitioned on Dask: a "
                            "scheduler address (tcp://host:8786) or 'local' (needs framing[dask]).")
_LEADING = (("out", Optional[Path], OutOpt), ("config", Optional[Path], ConfigOpt),
            ("set_", Optional[List[str]], SetOpt))
_TRAILING = (("verbose", bool, VerboseOpt), ("quiet", bool, QuietOpt), ("scheduler", Optional[str], SchedulerOpt),
             ("force", bool, ForceOpt))


def _job_options(func: Callable) -> Callable:
    """Give a job command the options ingest and analyze share, received as ``opts`` (:class:`_JobOptions`).

    --out, --config and --set follow the command's argument; --verbose, --quiet, --scheduler, --force and
    --text-field, --source-field, ... (they map to corpus.fields.*) follow its own options.
    """
    import inspect

    def param(name: str, annotation, default) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation, default=default)

    fields = [param(f"{name}_field", Optional[str], typer.Option(
        None, f"--{name}-field", help=f"Record field holding the {name} (.jsonl/.csv/.parquet; config "
        f"corpus.fields.{name}).", rich_help_panel="Field mapping")) for name in FIELD_FLAGS]
    own = [p for p in inspect.signature(func).parameters.values() if p.name != "opts"]
    params = [own[0], *(param(*o) for o in _LEADING), *own[1:], *(param(*o) for o in _TRAILING), *fields]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        fields = {name: kwargs.pop(f"{name}_field", None) for name in FIELD_FLAGS}
        shared = {name: kwargs.pop(name) for name, _, _ in (*_LEADING, *_TRAILING)}
        return func(*args, opts=_JobOptions(**shared, fields=fields), **kwargs)

    wrapper.__signature__ = inspect.Signature(params, return_annotation=None)
    return wrapper


@app.command()
@user_errors
@_job_options
def ingest(paths: List[Path] = PathsArg, opts: _JobOptions = None) -> None:
    """Read a corpus into documents (articles, comments, posts) and sentences.

    Writes tables/documents.parquet, tables/sentences.parquet and run.json.
    """
    from .jobs.ingest import run_ingest

    run, say = _run_job(paths, opts, lambda cfg, **kw: run_ingest(paths, cfg, opts.out, **kw))
    c = run.meta["counts"]
    say(f"{c['documents']} documents from {c['pages']} pages and {c['sources']} sources, "
        f"{c['sentences']} sentences ({c['fragments']} fragments flagged), {c['skipped']} skipped.")
    say(f"Wrote {run.run_dir}/tables/documents.parquet, sentences.parquet and run.json")
    _warning_summary(run.meta, say)


@app.command()
@user_errors
@_job_options
def analyze(
    paths: List[Path] = PathsArg,
    frames: Optional[List[str]] = typer.Option(
        None, "--frames", "-f", help="Frame catalog: a YAML path or a built-in name (repeatable)."),
    techniques: Optional[str] = typer.Option(
        None, "--techniques", "-t", help="Propaganda-technique catalog: a YAML path or a built-in name "
        "(propaganda); writes sentence_techniques, technique_spans, document_techniques."),
    opts: _JobOptions = None,
) -> None:
    """Ingest, embed, find topics, match frames, and write the report.

    Writes the run folder: tables/*.parquet, framing.duckdb, run.json and report.html.
    """
    from .jobs.analyze import analyze as run_analyze

    run, say = _run_job(paths, opts, lambda cfg, **kw: run_analyze(
        paths, cfg, opts.out, frames=frames, techniques=[techniques] if techniques else None, **kw))
    say(f"Report: {run.run_dir / 'report.html'}")
    _warning_summary(run.meta, say)


@app.command("report")
@user_errors
def report_command(
    run_dir: Path = typer.Argument(..., help="A run folder written by `framing analyze`.", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the page (default RUN_DIR/report.html)."),
    title: Optional[str] = typer.Option(None, "--title", help="Page title (default: the run's report.title)."),
    max_points: Optional[int] = typer.Option(None, "--max-points", min=100,
                                             help="Sentences on the map at most (default: the run's report.max_points)."),
) -> None:
    """Rebuild a run's report.html from its tables and run.json (nothing is recomputed)."""
    from .report import rebuild_report

    _setup_logging(False)
    path = rebuild_report(run_dir, out=out, title=title, max_points=max_points)
    _say(f"Report: {path}")


@app.command()
@user_errors
def compare(
    run_dir: Path = typer.Argument(..., help="A run folder written by `framing analyze`."),
    by: str = typer.Option("source", "--by", "-b", help="Grouping: a documents column, a kept record/manifest "
                           "field, or month."),
    a: Optional[str] = typer.Option(None, "--a", help="Compare this group ..."),
    b: Optional[str] = typer.Option(None, "--b", help="... with this one (default: each group with the rest)."),
    within: Optional[List[str]] = typer.Option(None, "--within", "-w", help="Distinctive terms also within "
                                               "frame:ID or topic:N (repeatable; default: every frame)."),
    set_: Optional[List[str]] = SetOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Compare groups: prevalence with intervals, distinctive terms, divergence, who said it first, audience.

    Writes tables/compare_*.parquet into RUN_DIR (replacing that grouping's earlier rows), prints a summary,
    and rebuilds RUN_DIR/report.html so the page shows the new comparison.
    """
    from rich.console import Console

    from .compare.job import compare_run
    from .compare.summary import print_summary
    from .report.rebuild import missing_for_report, rebuild_report

    _setup_logging(verbose)
    out = compare_run(run_dir, by, a, b, within, set_ or [])
    print_summary(out, by, Console(highlight=False, soft_wrap=False))
    no_report = missing_for_report(run_dir)
    if no_report:
        _say(f"Wrote {run_dir}/tables/compare_*.parquet (by {by}), framing.duckdb and run.json. {no_report}")
        return
    page = rebuild_report(run_dir)
    _say(f"Wrote {run_dir}/tables/compare_*.parquet (by {by}), framing.duckdb and run.json; rebuilt {page} "
         "with the new comparison")


@app.command("config")
@user_errors
def show_config(
    paths: Optional[List[Path]] = typer.Argument(None, help="Corpus folders whose framing.yaml applies."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[List[str]] = SetOpt,
) -> None:
    """Print the resolved configuration as YAML (defaults + overrides)."""
    import yaml

    from .config import config_to_dict
    from .jobs.common import load_run_config

    cfg = load_run_config(paths or [], config, set_ or [])
    typer.echo(yaml.safe_dump(config_to_dict(cfg), sort_keys=False, allow_unicode=True), nl=False)


def _register_frames() -> None:
    from .frames.cli import frames_app

    app.add_typer(frames_app, name="frames", help="Frame catalogs: validate, list, suggest new frames.")
    app.command("evaluate", help="Score a frame catalog against human labels, or a technique catalog against "
                "coded spans (--techniques CATALOG --spans DIR).")(_evaluate_command())


def _evaluate_command():
    """``framing evaluate``: frames (--frames --labels, framing.frames.cli) or techniques (--techniques --spans)."""
    import inspect

    from .frames.cli import evaluate_command

    import typing

    hints = typing.get_type_hints(inspect.unwrap(evaluate_command))  # frames.cli's annotations are strings
    params = []
    for p in inspect.signature(evaluate_command).parameters.values():
        p = p.replace(annotation=hints.get(p.name, p.annotation))
        if p.name in ("frames", "labels"):  # required for frames only
            opt = p.default
            p = p.replace(default=typer.Option(None, *opt.param_decls, help=opt.help), annotation=Optional[Path])
        params.append(p)
    params += [
        inspect.Parameter("techniques", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[str], default=typer.Option(
            None, "--techniques", help="Technique catalog (YAML file or bundled name: propaganda); with --spans, "
            "scores span identification, technique classification, sentence and document level.")),
        inspect.Parameter("spans", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[Path], default=typer.Option(
            None, "--spans", "--ptc", help="Folder of coded spans: articles.jsonl + spans.tsv, or a PTC copy.")),
    ]

    @user_errors
    def evaluate(**kwargs) -> None:
        from .errors import InputError

        techniques, spans = kwargs.pop("techniques"), kwargs.pop("spans")
        if techniques or spans:
            if not (techniques and spans) or kwargs["frames"] or kwargs["labels"]:
                raise InputError("Give --techniques CATALOG with --spans DIR to score techniques, or --frames "
                                 "CATALOG with --labels FILE to score frames (one of the two).")
            from .techniques.cli import print_evaluation

            score = {"anchors": "catalog"}.get(kwargs["score"], kwargs["score"])
            return print_evaluation(techniques, spans, kwargs["model"], score, kwargs["config"], kwargs["set_"])
        if not (kwargs["frames"] and kwargs["labels"]):
            raise InputError("Give --frames CATALOG and --labels FILE (frames), or --techniques CATALOG and "
                             "--spans DIR (propaganda techniques).")
        return evaluate_command(**kwargs)

    evaluate.__doc__ = (evaluate_command.__doc__ or "") + (
        " With --techniques and --spans: technique decisions against coded spans at span, sentence and document "
        "level.")
    evaluate.__signature__ = inspect.Signature(params)
    return evaluate


_register_frames()


def _register_techniques() -> None:
    from .techniques.cli import techniques_app

    app.add_typer(techniques_app, name="techniques",
                  help="Propaganda-technique catalogs: list, validate, train, evaluate.")


_register_techniques()


def _register_workflows() -> None:
    from .workflow_cli import register

    register(app)


_register_workflows()


def _register_llm() -> None:
    from .code_cli import register

    register(app)


_register_llm()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except FramingError as exc:  # errors raised outside a wrapped command
        err_console.print(f"Error: {exc}", markup=False)
        sys.exit(2)

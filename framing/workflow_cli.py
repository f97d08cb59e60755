"""Commands for researcher workflows: export (and, as they land, sample, rerun, apply, stability).

Thin wrappers over :mod:`framing.jobs.export` and friends, registered on the main app by ``framing.cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cli_support import ForceOpt, err_console, user_errors

RunDirArg = typer.Argument(..., help="A run folder written by framing analyze.", show_default=False)
RawOpt = typer.Option(False, "--raw", help="Write csv/xlsx text cells unchanged. By default a cell beginning with "
                      "= + - @, a tab or a carriage return gets a ' in front (OWASP's advice on CSV injection), so a "
                      "spreadsheet does not run it as a formula.")


def _say(message: str) -> None:
    err_console.print(message, markup=False)


@user_errors
def export_command(
    run_dir: Path = RunDirArg,
    format: str = typer.Option("csv", "--format", "-f", help="csv, jsonl, parquet or xlsx."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder to write (default RUN_DIR/export/FORMAT/)."),
    table: Optional[List[str]] = typer.Option(None, "--table", "-t", help="Only this table (repeatable)."),
    raw: bool = RawOpt,
) -> None:
    """Write the run's tables in tidy long format (one value per cell) with schema.json."""
    from .jobs.export import export_run

    folder = export_run(run_dir, format, out, table or None, raw=raw)
    _say(f"Wrote {folder}")


@user_errors
def sample_command(
    run_dir: Path = RunDirArg,
    by: str = typer.Option("frame", "--by", help="Stratify by frame or topic (and source)."),
    n: int = typer.Option(50, "--n", "-n", help="Items per frame or topic, spread over sources."),
    unit: str = typer.Option("sentence", "--unit", help="Code sentences or documents."),
    strategy: str = typer.Option(
        "frame", "--strategy",
        help="frame: strata of frame and source (default); stratified: per frame by score band, to estimate "
             "precision and recall (framing validate); uncertain: per frame the items nearest the decision, "
             "to train (active learning)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder to write (default RUN_DIR/samples/BY-UNIT/ or STRATEGY-UNIT/)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the draw (default: the run's seed)."),
    frames: Optional[List[str]] = typer.Option(None, "--frames", "-f",
                                               help="Catalog for the labelling config (default: the run's catalogs)."),
    label_studio: Optional[str] = typer.Option(
        None, "--label-studio", metavar="URL",
        help="Also create the Label Studio project at URL (config + tasks, one step); token from $LABEL_STUDIO_API_KEY."),
    raw: bool = RawOpt,
) -> None:
    """Draw a seeded, stratified sample for human coding: CSV, Label Studio tasks and config, codebook."""
    import os

    from .labelstudio import TOKEN_ENV, LabelStudioError, push_sample
    from .jobs.sample import write_sample

    if label_studio and not os.environ.get(TOKEN_ENV):  # before drawing anything
        raise LabelStudioError(f"--label-studio needs your Label Studio access token in ${TOKEN_ENV} "
                               "(Label Studio: Account & Settings).")
    folder = write_sample(run_dir, by, n, unit, out, seed, frames or None, strategy, raw=raw)
    extra = ", design.csv" if strategy != "frame" else ""
    _say(f"Wrote {folder}: sample.csv{extra}, label-studio-tasks.json, label-studio-config.xml, codebook.md, "
         "sample.json")
    if label_studio:
        project = push_sample(folder, label_studio, os.environ.get(TOKEN_ENV, ""))
        _say(f"Created Label Studio project {project['project_id']} with {project['tasks']} tasks: {project['url']}")


@user_errors
def rerun_command(
    run_dir: Path = RunDirArg,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder to write (default: RUN_DIR-rerun beside it)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but warnings and errors."),
    force: bool = ForceOpt,
) -> None:
    """Repeat a run from its run.json (same inputs, config, seed, catalogs) and say what came out identical."""
    from .jobs.rerun import rerun
    from .store import allow_replacing

    with allow_replacing(force):
        result = rerun(run_dir, out, say=(lambda _m: None) if quiet else _say, progress=not quiet)
    info = result.meta["rerun"]
    for change in info["input_changes"]:
        _say(f"Input {change['change']}: {change['path']}")
    same = [t for t, v in info["tables"].items() if v == "identical"]
    _say(f"Identical tables: {', '.join(same) or 'none'}")
    for name, verdict in info["tables"].items():
        if verdict != "identical":
            _say(f"{name}: {verdict}")


@user_errors
def stability_command(
    run_dir: Path = RunDirArg,
    seeds: int = typer.Option(5, "--seeds", help="Refits with other seeds (the run's seed + 1, + 2, ...)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Refit the topics with several seeds and mark each topic stable or fragile (topic_stability table)."""
    from .jobs.stability import topic_stability

    say = (lambda _m: None) if quiet else _say
    table = topic_stability(run_dir, seeds, say=say)
    for row in table.itertuples():
        say(f"topic {row.topic:>3} {'stable ' if row.stable else 'fragile'} stability {row.stability:.2f}, "
            f"reappears in {row.reappearance:.0%} of refits, core {row.core_size}/{row.size}: {row.label}")
    from . import store

    agreement = (store.read_run_json(run_dir).get("stability") or {}).get("agreement") or {}
    for what, part in (("sentence topics", agreement), ("documents' main topics", agreement.get("documents") or {})):
        if part.get("mean") is not None:
            say(f"Spread across seeds, {what}: ARI against the run's mean {part['mean']:.3f} "
                f"(min {part['min']:.3f}, max {part['max']:.3f}; run.json stability.agreement)")
    say(f"Wrote {run_dir}/tables/topic_stability.parquet; topics has stability and stable columns")


@user_errors
def apply_command(
    run_dir: Path = RunDirArg,
    paths: List[Path] = typer.Argument(..., help="New documents: folders or .jsonl/.json/.csv/.parquet files.",
                                       show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run folder to write (default RUN_DIR-apply-NAME)."),
    set_: Optional[List[str]] = typer.Option(None, "--set", "-s", help="Override one key of the run's config "
                                             "(e.g. corpus.fields.text=body); repeatable."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run segmentation, embedding and the "
                                            "assignment partitioned on Dask: tcp://host:8786 or 'local'."),
    force: bool = ForceOpt,
) -> None:
    """Assign the run's topics and frames to new documents without refitting; writes a new run linked to it."""
    from .jobs.apply import apply_run
    from .parallel import use_scheduler
    from .store import allow_replacing

    say = (lambda _m: None) if quiet else _say
    with use_scheduler(scheduler, say), allow_replacing(force):
        result = apply_run(run_dir, paths, out, set_ or [], say=say, progress=not quiet)
    _say(f"Report: {result.run_dir / 'report.html'} (parent: {run_dir})")


@user_errors
def validate_command(
    run_dir: Path = RunDirArg,
    coded: Path = typer.Option(..., "--coded", help="The sample's sample.csv with its 'frames' column filled in, "
                                                    "or Label Studio's JSON export."),
    sample: Optional[Path] = typer.Option(None, "--sample", help="The folder framing sample wrote "
                                                                 "(default: the coded file's folder)."),
) -> None:
    """Estimate each frame's precision and recall on the run from a coded sample; the report shows them."""
    from .frames.validate import validation_text
    from .jobs.validate import validate_run

    table = validate_run(run_dir, coded, sample)
    for row in table.to_dict("records"):
        recall = ("recall not estimated (no coded item has the frame)" if row["recall_n"] == 0 else
                  f"recall {row['recall']:.2f} [{row['recall_low']:.2f}, {row['recall_high']:.2f}] "
                  f"({row['recall_n']} coded with it)")
        _say(f"{row['frame_id']}: precision {validation_text(row)}; {recall}")
    _say(f"Wrote {run_dir}/tables/frame_validation.parquet and rebuilt the report.")


def register(app: typer.Typer) -> None:
    """Add the workflow commands to the main command line."""
    app.command("export", help="Export a run's tables as tidy csv, jsonl, parquet or xlsx.")(export_command)
    app.command("rerun", help="Repeat a run from its run.json and compare the results.")(rerun_command)
    app.command("stability", help="Refit topics with several seeds; mark stable and fragile topics.")(stability_command)
    app.command("apply", help="Apply a run's topics and frames to new documents (no refitting).")(apply_command)
    app.command("sample", help="Draw a stratified sample for human coding (CSV + Label Studio).")(sample_command)
    app.command("validate", help="Estimate each frame's precision and recall from a coded sample.")(validate_command)

"""The ``framing code`` command: a thin wrapper over :func:`framing.jobs.code.code_run`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cli_support import err_console, user_errors


def _say(message: str) -> None:
    err_console.print(message, markup=False)


def _agreement_lines(table) -> list[str]:
    lines = [f"{'frame':<28} {'items':>5} {'human':>5} {'model':>5} {'P':>6} {'R':>6} {'F1':>6} {'alpha':>6}"]
    for row in table.itertuples(index=False):
        figures = " ".join("     -" if v != v else f"{v:6.3f}" for v in (row.precision, row.recall, row.f1, row.alpha))
        lines.append(f"{row.frame_id:<28} {row.items:>5} {row.support:>5} {row.predicted:>5} {figures}")
    return lines


@user_errors
def code_command(
    run_dir: Path = typer.Argument(..., help="A run folder written by `framing analyze` (or ingest, with --frames).",
                                   show_default=False),
    llm_url: Optional[str] = typer.Option(None, "--llm-url", help="OpenAI-compatible server, e.g. "
                                          "http://127.0.0.1:8080/v1 (llama.cpp), http://localhost:11434/v1 (Ollama), "
                                          "http://localhost:8000/v1 (vLLM). Config: llm.url."),
    llm_model: Optional[str] = typer.Option(None, "--llm-model", help="The model name the server knows. "
                                            "Config: llm.model."),
    llm_key_env: Optional[str] = typer.Option(None, "--llm-key-env", help="Environment variable holding the API "
                                              "key (the key is never written). Config: llm.api_key_env."),
    frames: Optional[List[str]] = typer.Option(None, "--frames", "-f", help="Catalog (YAML path or bundled name; "
                                               "repeatable). Default: the run's catalogs."),
    level: str = typer.Option("document", "--level", help="Code documents or sentences."),
    select: str = typer.Option("all", "--select", help="all, sample (with --sample N) or matches (only the items "
                               "the embedding scorer matched: a second opinion)."),
    sample: Optional[int] = typer.Option(None, "--sample", min=1, help="Code a seeded sample of N items "
                                         "(implies --select sample)."),
    topics: bool = typer.Option(False, "--topics", help="Also name the run's topics (llm_topics)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Human codes (a label file frames train reads): "
                                        "F1 per frame and Krippendorff's alpha of the model against them."),
    labels_out: Optional[Path] = typer.Option(None, "--labels-out", help="Also write the codes as a JSONL label "
                                              "file for: framing frames train CATALOG --labels FILE --run RUN."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="YAML file of config overrides (llm, "
                                          "embedding.cache_dir, seed)."),
    set_: Optional[List[str]] = typer.Option(None, "--set", "-s", help="Override one key: llm.timeout=60 "
                                             "(repeatable)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors and warnings."),
) -> None:
    """Code documents or sentences with a language model, the frame catalog as codebook.

    Writes tables/llm_codes.parquet (and llm_topics, llm_agreement when asked) into RUN_DIR; run.json records
    the model, each stage's time and tokens; answers are cached, so a re-run asks the server nothing.
    """
    from .config import load_config
    from .jobs.code import code_run

    overrides = list(set_ or [])
    for key, value in (("url", llm_url), ("model", llm_model), ("api_key_env", llm_key_env)):
        if value is not None:
            overrides.append(f"llm.{key}={value}")
    cfg = load_config([config] if config else [], overrides)
    if sample is not None and select == "all":
        select = "sample"
    say = (lambda _m: None) if quiet else _say
    result = code_run(run_dir, cfg, frames=frames, level=level, select=select, sample=sample, topics=topics,
                      gold=gold, labels_out=labels_out, progress=not quiet, say=say, warn=_say)
    stage = result.info["stages"]["code"]
    say(f"Coded {result.info['coded']} of {result.info['items']} {level}s with {result.info['model']}: "
        f"{stage['requests']} requests, {stage['cached']} answers from the cache, "
        f"{stage['prompt_tokens'] + stage['completion_tokens']} tokens, {stage['seconds']:.1f} s.")
    if result.agreement is not None:
        say("\n".join(_agreement_lines(result.agreement)))
    wrote = ["llm_codes"] + (["llm_topics"] if result.topics is not None else []) + \
        (["llm_agreement"] if result.agreement is not None else [])
    say(f"Wrote {', '.join(f'{run_dir}/tables/{t}.parquet' for t in wrote)} and run.json")
    if labels_out is not None:
        say(f"Wrote {labels_out}; train with: framing frames train CATALOG --labels {labels_out} --run {run_dir} "
            f"--level {level}")


def register(app: typer.Typer) -> None:
    """Add ``framing code`` to the command line."""
    app.command("code")(code_command)

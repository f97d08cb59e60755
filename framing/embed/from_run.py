"""An embedding model named by a run folder: found on this machine only, never downloaded, never loaded from the run.

A run folder may come from someone else (:mod:`framing.runfolder.received`); the model its run.json or
topic model names is looked up like a name the user gave, with the checks below.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import EmbeddingError


def hub_like(spec: str) -> bool:
    """True for a name a model hub would resolve (``owner/name``), rather than a registered name or a path."""
    return not spec.startswith((".", "/", "~")) and "\\" not in spec and spec.count("/") == 1


def check_model_name(spec: str, where: str, cfg=None,
                     choose: str = "get it yourself and pass --set embedding.model={spec} (or a local folder) "
                                   "on the command line", run_dir: str | Path | None = None):
    """The embedder named by a run folder (``where``: the file and field), found on this machine only.

    framing's loaders never download (:func:`framing.embed.sbert.locate_model` reads local files
    only), but a name a received run chose is not one to download either: when it is not here, the
    error says so and how the user can choose a model on the command line.

    Returns
    -------
    Embedder
    """
    from . import get_embedder

    if run_dir is not None and isinstance(spec, str) and spec.strip():
        # A model folder shipped with the run is the sender's code and weights (its modules.json names classes
        # to import): never loaded because the run names it.
        target, inside = Path(spec.strip()).expanduser().resolve(), Path(run_dir).resolve()
        if target == inside or inside in target.parents:
            raise EmbeddingError(
                f"{where} names the embedding model {spec!r}, a folder inside the run folder {run_dir}; framing "
                "does not load a model that came with a run. If you trust it, pass --set embedding.model=FOLDER "
                "on the command line.")
    try:
        return get_embedder(spec, cfg)
    except EmbeddingError as exc:
        raise EmbeddingError(
            f"{where} names the embedding model {spec!r}, which is not on this machine ({exc}). framing never "
            f"downloads a model a run folder names. If you trust that model, {choose.format(spec=spec)}.") from None

"""What a config written by someone else may set: a corpus's own ``framing.yaml`` and a received run's config.

Settings that choose where a run writes or which cache it trusts are the
user's alone (:data:`USER_ONLY_KEYS`); files a corpus config names must lie
inside its own folder (:data:`CORPUS_FILE_KEYS`). Everything else is ignored
with an :class:`~framing.errors.UntrustedConfigWarning`.
"""

from __future__ import annotations

import copy
import os
import warnings
from pathlib import Path

from pydantic import ValidationError

from ..errors import ConfigError, UntrustedConfigWarning
from ..resources import configs_dir
from .parse import _format_validation_error, _read_yaml, config_to_dict
from .sections import Config


#: Settings a corpus's own ``framing.yaml`` cannot set, and why: they choose which folder a run writes
#: or which cached results it trusts. Only the user sets them (``--config FILE``, ``--set``, the API).
USER_ONLY_KEYS = {
    "output": "it chooses which folder a run writes and replaces",
    "embedding.cache_dir": "it chooses the cache whose results a run reads and where it writes them",
    "techniques.catalogs": "it chooses a technique catalog file and the trained model beside it that a run loads",
    "llm": "it chooses the server a corpus's text is sent to and the environment variable whose key goes with it",
}
#: Settings a corpus's own ``framing.yaml`` may set only to a file inside its own folder (or a bundled name).
CORPUS_FILE_KEYS = ("corpus.manifest", "frames.catalogs", "frames.default_catalog")


def _ignore(path: Path, dotted: str, why: str) -> None:
    warnings.warn(f"{path}: '{dotted}' is ignored: a corpus's own framing.yaml cannot set it ({why}). If you trust "
                  f"this file, pass it with --config {path}.", UntrustedConfigWarning, stacklevel=4)


def _inside(folder: Path, raw: str) -> str | None:
    """``raw`` (relative to ``folder``) as an absolute path when it names a file inside ``folder``, symlinks resolved."""
    base = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(base, os.path.expanduser(raw)))
    if os.path.commonpath([base, target]) != base or not os.path.isfile(target):
        return None
    return target


def _bundled_catalog(name: str) -> bool:
    if not name or any(c in name for c in "/\\:") or name.startswith((".", "~")):
        return False
    catalogs = configs_dir() / "frames"
    return (catalogs / name).is_file() or (catalogs / f"{name}.yaml").is_file()


def _model_path(value: str, folder: Path) -> bool:
    """Whether ``embedding.model`` names a folder (loaded as code and weights) rather than a model name."""
    return (value.startswith((".", "/", "~")) or "\\" in value or ":" in value or value.count("/") > 1
            or Path(value).expanduser().exists() or (folder / value).exists())


def _drop_user_only(data: dict) -> list[str]:
    """Remove the :data:`USER_ONLY_KEYS` from a nested mapping in place; the dotted keys removed."""
    dropped = []
    for dotted in USER_ONLY_KEYS:
        *parents, last = dotted.split(".")
        section = data
        for part in parents:
            section = section.get(part) if isinstance(section, dict) else None
        if isinstance(section, dict) and last in section:
            del section[last]
            dropped.append(dotted)
    return dropped


def received_config(data: dict, origin: str) -> Config:
    """The config recorded in a received run's run.json, with what only the user may choose reset to the defaults.

    A run folder may come from someone else: its ``output.*`` and
    ``embedding.cache_dir`` are replaced by the defaults (with an
    :class:`~framing.errors.UntrustedConfigWarning` when they differed), so
    ``apply`` and ``rerun`` write and cache where the user says (``--out``, ``--set``).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     cfg = received_config({"seed": 3, "embedding": {"cache_dir": "/elsewhere"}}, "run.json")
    >>> cfg.seed, cfg.embedding.cache_dir
    (3, None)
    """
    if not isinstance(data, dict):
        raise ConfigError(f"The config in {origin} must be a mapping of sections, got {type(data).__name__}.")
    data = copy.deepcopy(data)
    defaults = config_to_dict(Config())
    kept = copy.deepcopy(data)
    for dotted in _drop_user_only(data):
        *parents, last = dotted.split(".")
        given, default = kept, defaults
        for part in [*parents, last]:
            given, default = given[part], default[part]
        if given != default:
            warnings.warn(f"{origin}: '{dotted}' is ignored: a received run cannot set it "
                          f"({USER_ONLY_KEYS[dotted]}); the default applies. Set it yourself with --set or --out.",
                          UntrustedConfigWarning, stacklevel=2)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, origin)) from None


def corpus_config_layer(path: str | Path) -> dict:
    """A corpus's own ``framing.yaml``, less what only the user may set; each left-out key warns.

    A corpus may come from someone else, so its config file is trusted with
    reading and analysis settings only. Left out, with an
    :class:`~framing.errors.UntrustedConfigWarning` naming the file and key:
    every key of :data:`USER_ONLY_KEYS` (``output.*``, ``embedding.cache_dir``);
    an ``embedding.model`` that names a folder rather than a model name (a
    model folder is loaded as code and weights); and a ``corpus.manifest``,
    ``frames.catalogs`` entry or ``frames.default_catalog`` that is neither a
    file inside the corpus folder nor a bundled catalog name. Files inside the
    corpus folder are named relative to it (and become absolute paths here).
    Passing the same file with ``--config`` trusts all of it.

    Examples
    --------
    >>> import tempfile, warnings
    >>> corpus = Path(tempfile.mkdtemp())
    >>> _ = (corpus / "framing.yaml").write_text("seed: 7\\noutput: {dir: /home}\\n")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     corpus_config_layer(corpus / "framing.yaml")
    {'seed': 7}
    >>> "'output' is ignored" in str(caught[0].message)
    True
    """
    path = Path(path)
    folder = path.parent
    data = _read_yaml(path)
    for dotted in _drop_user_only(data):
        _ignore(path, dotted, USER_ONLY_KEYS[dotted])
    embedding = data.get("embedding")
    if isinstance(embedding, dict) and isinstance(embedding.get("model"), str) \
            and _model_path(embedding["model"].strip(), folder):
        del embedding["model"]
        _ignore(path, "embedding.model", "it names a model folder, whose files are loaded as code and weights; "
                "a corpus may name a model by its name only")
    outside = "it names a file outside the corpus folder; name a file inside it, relative to the framing.yaml"
    corpus = data.get("corpus")
    if isinstance(corpus, dict) and isinstance(corpus.get("manifest"), str):
        found = _inside(folder, corpus["manifest"])
        if found is None:
            del corpus["manifest"]
            _ignore(path, "corpus.manifest", outside)
        else:
            corpus["manifest"] = found
    frames = data.get("frames")
    if isinstance(frames, dict):
        if isinstance(frames.get("default_catalog"), str):
            name = frames["default_catalog"]
            found = _inside(folder, name) or (name if _bundled_catalog(name) else None)
            if found is None:
                del frames["default_catalog"]
                _ignore(path, "frames.default_catalog", outside + ", or a bundled catalog's name")
            else:
                frames["default_catalog"] = found
        if isinstance(frames.get("catalogs"), list):
            kept = []
            for name in frames["catalogs"]:
                found = _inside(folder, name) or (name if _bundled_catalog(name) else None) \
                    if isinstance(name, str) else name
                if found is None:
                    _ignore(path, f"frames.catalogs: {name}", outside + ", or a bundled catalog's name")
                else:
                    kept.append(found)
            frames["catalogs"] = kept
    return data

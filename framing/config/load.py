"""Loading the configuration: ``default.yaml``, then corpus config files, files of overrides and ``--set`` items."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pydantic import ValidationError

from ..errors import ConfigError
from ..resources import configs_dir
from .corpus_layer import corpus_config_layer
from .parse import _deep_merge, _format_validation_error, _read_yaml, config_to_dict, parse_override
from .sections import Config

DEFAULT_CONFIG_PATH = configs_dir() / "default.yaml"


def load_config(
    path: str | Path | Sequence[str | Path] | None = None,
    overrides: list[str] | None = None,
    defaults: str | Path = DEFAULT_CONFIG_PATH,
    corpus_files: Sequence[str | Path] = (),
) -> Config:
    """Load ``default.yaml``, then corpus config files, then files of overrides, then ``--set`` overrides.

    Parameters
    ----------
    path : str, Path or sequence of them, optional
        YAML files holding only the keys to change, applied in order; trusted (the user named them).
    overrides : list of str, optional
        ``section.key=value`` items, applied last.
    defaults : str or Path
        The complete default config.
    corpus_files : sequence of str or Path, optional
        A corpus's own ``framing.yaml`` files, applied before ``path`` and trusted only with what
        :func:`corpus_config_layer` lets through.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        With the dotted path of every bad key or value and the allowed keys.
    """
    if not Path(defaults).is_file():
        raise ConfigError(f"The default configuration {defaults} is missing. Reinstall framing "
                          "(`pip install framing` or, in a checkout, `pip install -e .`): it ships configs/.")
    files = [] if path is None else [path] if isinstance(path, (str, Path)) else list(path)
    layers = [(str(defaults), _read_yaml(Path(defaults)))]
    layers += [(str(f), corpus_config_layer(f)) for f in corpus_files]
    layers += [(str(f), _read_yaml(Path(f))) for f in files]
    layers += [(f"--set {item}", parse_override(item)) for item in overrides or []]
    data: dict = {}
    for origin, layer in layers:
        # Validate after each layer so an error names the file or --set that caused it.
        data = _deep_merge(data, layer)
        try:
            cfg = Config.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_format_validation_error(exc, origin)) from None
    return cfg


def apply_mapping(cfg: Config, data: dict, origin: str = "overrides") -> Config:
    """``cfg`` with a nested mapping of overrides applied, validated like a config file.

    >>> apply_mapping(load_config(), {"topics": {"min_cluster_size": 4}}).topics.min_cluster_size
    4
    """
    try:
        return Config.model_validate(_deep_merge(config_to_dict(cfg), data))
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, origin)) from None

"""The configuration: pydantic models of ``configs/default.yaml``.

``configs/default.yaml`` is complete: it holds every key with its default.
Any other config file holds only overrides, and so does ``--set
section.key=value`` on the command line. Each section forbids unknown keys,
so a typo fails with its dotted path and the keys that exist.

The package, by job:

- :mod:`.sections`: the pydantic models, one per section, and :class:`Config`.
- :mod:`.parse`: YAML files and ``--set`` items as nested mappings; merging; errors naming the dotted key.
- :mod:`.corpus_layer`: what a corpus's own ``framing.yaml`` or a received run's config may set.
- :mod:`.load`: :func:`load_config`, the layers in order.

Examples
--------
>>> cfg = load_config(overrides=["topics.min_cluster_size=5", "seed=7"])
>>> cfg.seed, cfg.topics.min_cluster_size
(7, 5)
"""

from .corpus_layer import CORPUS_FILE_KEYS, USER_ONLY_KEYS, corpus_config_layer, received_config
from .load import DEFAULT_CONFIG_PATH, apply_mapping, load_config
from .parse import _deep_merge, _format_validation_error, config_to_dict, parse_override
from .sections import (CompareConfig, Config, CorpusConfig, EmbeddingConfig, FieldMapping, FramesConfig,
                       LanguageConfig, LLMConfig, OutputConfig, ReportConfig, Section, SegmentConfig, StructureConfig,
                       TechniquesConfig, TopicsConfig)

__all__ = [
    "CORPUS_FILE_KEYS", "DEFAULT_CONFIG_PATH", "USER_ONLY_KEYS", "CompareConfig", "Config", "CorpusConfig",
    "EmbeddingConfig", "FieldMapping", "FramesConfig", "LanguageConfig", "LLMConfig", "OutputConfig", "ReportConfig", "Section",
    "SegmentConfig", "StructureConfig", "TechniquesConfig", "TopicsConfig", "apply_mapping", "config_to_dict", "corpus_config_layer",
    "load_config", "parse_override", "received_config",
]

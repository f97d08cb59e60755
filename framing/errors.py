"""Errors and warnings of the toolkit.

Every error is meant for a person: it says what was wrong, where (file, line,
field) and what to do. The CLI prints ``str(error)`` and exits non-zero;
tracebacks are for bugs only.
"""

from __future__ import annotations


class FramingError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class ConfigError(FramingError):
    """The configuration (YAML file, ``--set`` override, or a value in it) is invalid."""


class InputError(FramingError):
    """An input file or record cannot be read or lacks a required field."""


class FieldMappingError(InputError):
    """A field named in the field mapping is not in the input records."""


class StructureError(FramingError):
    """A page could not be split into article and comments."""


class EmbeddingError(FramingError):
    """An embedding backend is unknown, missing, or cannot load its model."""


class TopicModelError(FramingError):
    """The topic model cannot be fitted (for example, too few sentences)."""


class CatalogError(FramingError):
    """A frame catalog is invalid (schema, duplicate ids, missing examples)."""


class NotFittedError(FramingError, ValueError):
    """An estimator was used before ``fit``."""


class RunStoreError(FramingError):
    """A run folder cannot be written or read."""


class RegistryError(FramingError, KeyError):
    """An unknown or clashing name in one of the registries (frame scorers, reducers, report sections)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReportError(FramingError):
    """A table given to the report lacks columns it needs, or the report cannot be written."""


class FramingWarning(UserWarning):
    """Base class of the toolkit's warnings; filter them with ``warnings.filterwarnings``."""


class InputWarning(FramingWarning):
    """Something in the input was skipped or repaired; the run records it."""


class StructureWarning(FramingWarning):
    """A page split is uncertain."""


class LanguageWarning(FramingWarning):
    """The language of a text could not be identified confidently."""


class CacheWarning(FramingWarning):
    """A cache entry was unreadable, damaged or not written by this user, and has been recomputed;
    or a cache folder cannot be trusted and the run computes without it."""


class UntrustedConfigWarning(FramingWarning):
    """A setting in a corpus's own ``framing.yaml`` was ignored: only the user may choose it (``--config FILE``)."""


class TopicWarning(FramingWarning):
    """The topic model produced a degenerate result (for example, all outliers)."""


class FrameWarning(FramingWarning):
    """Frame matching or calibration is weak (for example, too few anchors)."""


class LLMError(FramingError):
    """A language model server cannot be reached, refuses a request, or keeps giving answers that are not valid."""


class LLMWarning(FramingWarning):
    """Some texts got no valid answer from the language model, or an answer's quote is not in the text."""

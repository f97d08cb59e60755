"""Import BERTopic without the deep-learning stack it loads for features framing never uses.

``import bertopic`` takes 8-10 s on a 2-core machine, most of it spent importing
``transformers`` (for the ``TextGeneration`` and ``ZeroShotClassification``
representations) and ``torch`` (to save models in the legacy pickle format).
framing uses neither: it embeds with its own encoders, keeps keywords with
``KeyBERTInspired`` and MMR, and saves with safetensors. On the seeds, whose
default model is the numpy Universal Sentence Encoder, no part of a run needs
torch at all.

BERTopic already treats those parts as optional: each is imported inside
``try ... except ModuleNotFoundError`` and replaced by a ``NotInstalled``
placeholder that explains itself when used. :func:`import_bertopic` makes
``torch``, ``transformers`` and ``sentence_transformers`` look absent *while
BERTopic is imported*, if they are not loaded yet; BERTopic takes its own
fallbacks, and nothing else changes. Once the import is done, the packages
import normally (framing's MiniLM embedder loads them when it needs them).

In a process that imports BERTopic through framing first, BERTopic's
``TextGeneration``, ``ZeroShotClassification``, ``VisualRepresentation`` and
``MultiModalBackend`` are placeholders, and ``BERTopic.save`` supports
``serialization="safetensors"`` only (pickle and ``pytorch`` need torch at
import). Import ``bertopic`` yourself before framing to keep them.

BERTopic 0.17 lists sentence-transformers (hence torch) as a hard dependency,
so framing's default install does not depend on ``bertopic``: ``make install``
installs it with ``pip install --no-deps`` (BERTopic's documented lightweight
install) after framing's own dependencies, which list the rest of what it
needs. A plain ``pip install framing`` must add that one command; without it,
:func:`import_bertopic` says so.

>>> import_bertopic().__name__
'bertopic'
"""

from __future__ import annotations

import importlib.abc
import sys
import warnings
from contextlib import contextmanager
from types import ModuleType

from ..errors import TopicModelError

#: Top-level packages BERTopic imports only for features framing does not use.
DEFERRED = ("torch", "transformers", "sentence_transformers")


class _Absent(importlib.abc.MetaPathFinder):
    """A finder that reports the named packages (and their submodules) as not installed."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r} (deferred by framing while importing BERTopic)",
                                      name=fullname)
        return None


@contextmanager
def _deferred(names: tuple[str, ...]):
    absent = tuple(n for n in names if n not in sys.modules)
    finder = _Absent(absent)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_bertopic(name: str = "bertopic") -> ModuleType:
    """Import ``bertopic`` (or one of its modules) without loading torch or transformers.

    The warning filters are left as they were (BERTopic's import silences every
    ``UserWarning`` process-wide otherwise).
    """
    if "bertopic" in sys.modules:
        return importlib.import_module(name)
    with warnings.catch_warnings(), _deferred(DEFERRED):
        try:
            importlib.import_module("bertopic")
        except ModuleNotFoundError as exc:
            if exc.name != "bertopic":
                raise
            raise TopicModelError(MISSING) from None
    return importlib.import_module(name)


#: What a user without BERTopic reads (framing's dependencies leave it out so that torch stays optional).
MISSING = ("Topics need BERTopic, which `pip install framing` leaves out (BERTopic would bring torch). "
           "Install it without its dependencies: pip install --no-deps 'bertopic==0.17.4' "
           "(framing already installed what it needs), or everything with torch: "
           "pip install 'framing[sentence-transformers]'.")

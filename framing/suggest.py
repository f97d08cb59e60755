"""Did you mean: the names closest to a mistyped one, for messages that name a config key, a field or a column.

A message for people answers a typo with the name that exists, never with
the typo repeated as advice. :func:`did_you_mean` compares names with
``difflib`` (case-insensitively) and returns a sentence to append, or ``""``
when nothing is close; :func:`config_key_hint` does the same for a dotted
config key, looking first among the keys of the same section, then for the
same key in another section.

Examples
--------
>>> did_you_mean("partisn", ["source", "partisan", "month"])
" Did you mean 'partisan'?"
>>> did_you_mean("xyz", ["source", "partisan"])
''
>>> close_matches("Source", ["source", "sources", "role"])
['source', 'sources']
"""

import difflib
from collections.abc import Iterable, Iterator

#: How alike two names must be (difflib's ratio) to be offered; 0.6 is difflib's own default.
CUTOFF = 0.6


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The names among ``candidates`` closest to ``word``, best first, compared case-insensitively.

    Parameters
    ----------
    word : str
        The name the user gave.
    candidates : iterable of str
        The names that exist (duplicates and ``word`` itself are ignored).
    n : int
        At most this many names.
    cutoff : float
        The least ``difflib.SequenceMatcher`` ratio of a name offered.

    Returns
    -------
    list of str
        Names as spelled in ``candidates``.

    >>> close_matches("min_cluster_sise", ["min_cluster_size", "min_samples", "seed"])
    ['min_cluster_size']
    """
    by_lower: dict[str, str] = {}
    for name in candidates:
        name = str(name)
        if name != word:
            by_lower.setdefault(name.lower(), name)
    found = difflib.get_close_matches(str(word).lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[m] for m in found]


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """``" Did you mean 'x'?"`` (or ``'x' or 'y'``) for the closest names; ``""`` when none is close.

    >>> did_you_mean("bias", ["bias_text", "biased", "url"])
    " Did you mean 'biased' or 'bias_text'?"
    """
    return offer(close_matches(word, candidates, n=n))


def offer(names: list[str]) -> str:
    """The sentence that offers ``names``; ``""`` for none.

    >>> offer(["topics.seed"])
    " Did you mean 'topics.seed'?"
    """
    return f" Did you mean {' or '.join(repr(m) for m in names)}?" if names else ""


def model_keys(model: type, prefix: str = "") -> Iterator[str]:
    """Every dotted key of a pydantic model, sections included, depth first.

    >>> from pydantic import BaseModel
    >>> class Inner(BaseModel):
    ...     size: int = 1
    >>> class Outer(BaseModel):
    ...     seed: int = 0
    ...     topics: Inner = Inner()
    >>> list(model_keys(Outer))
    ['seed', 'topics', 'topics.size']
    """
    for name, field in getattr(model, "model_fields", {}).items():
        dotted = f"{prefix}{name}"
        yield dotted
        ann = field.annotation
        if isinstance(ann, type) and hasattr(ann, "model_fields"):
            yield from model_keys(ann, dotted + ".")


def config_key_hint(dotted: str, siblings: Iterable[str], model: type | None = None) -> str:
    """The suggestion for an unknown config key: a close key of the same section, else the key elsewhere.

    Parameters
    ----------
    dotted : str
        The unknown key, e.g. ``topics.min_cluster_sise``.
    siblings : iterable of str
        The keys that exist in its section.
    model : pydantic model class, optional
        The whole config, to find the same (or a close) key in another section.

    >>> from pydantic import BaseModel
    >>> class Topics(BaseModel):
    ...     min_cluster_size: int = 5
    >>> class Embedding(BaseModel):
    ...     model: str = "auto"
    >>> class Config(BaseModel):
    ...     topics: Topics = Topics()
    ...     embedding: Embedding = Embedding()
    >>> config_key_hint("topics.min_cluster_sise", ["min_cluster_size"], Config)
    " Did you mean 'topics.min_cluster_size'?"
    >>> config_key_hint("embedding.min_cluster_size", ["model"], Config)
    " Did you mean 'topics.min_cluster_size'?"
    >>> config_key_hint("embedding.colour", ["model"], Config)
    ''
    """
    section, _, key = dotted.rpartition(".")
    near = close_matches(key, siblings)
    if near:
        return offer([f"{section}.{m}" if section else m for m in near])
    if model is None:
        return ""
    # A key put in the wrong section: the same name (or a close one) where it does exist.
    elsewhere = [k for k in model_keys(model) if k != dotted and k.rpartition(".")[0] != section]
    last: dict[str, list[str]] = {}
    for k in elsewhere:
        last.setdefault(k.rpartition(".")[2], []).append(k)
    if key in last:
        return offer(last[key][:3])
    return offer([full for name in close_matches(key, last, n=2) for full in last[name]][:3])

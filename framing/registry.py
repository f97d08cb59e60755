"""Named registries for the parts that vary: frame scorers, reducers, report sections.

In the style of spaCy's ``catalogue``: a :class:`Registry` maps names to
objects (usually factories or classes); a new part is one module that
registers itself with a decorator, and the config names it. An unknown name
fails with the names that exist and the closest one. Other packages can add
parts through an entry-point group ``framing_<registry name>`` without
editing framing.

Examples
--------
>>> scorers = Registry("toy_scorers")
>>> @scorers.register("double")
... def double(x):
...     return 2 * x
>>> scorers.get("double")(4)
8
>>> scorers.names()
['double']
>>> scorers.get("dubble")
Traceback (most recent call last):
...
framing.errors.RegistryError: No toy_scorers named 'dubble'. Did you mean 'double'? Registered: double.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Generic, TypeVar

from .errors import RegistryError

T = TypeVar("T")


class Registry(Generic[T]):
    """Names to objects, filled by :meth:`register` and by the entry-point group ``framing_<name>``.

    Parameters
    ----------
    name : str
        What the registry holds, in the plural (``"frame_scorers"``); names the
        entry-point group and appears in errors.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}
        self._entry_points_read = False

    def register(self, key: str, obj: T | None = None) -> Callable[[T], T] | T:
        """Register ``obj`` under ``key``; without ``obj``, a decorator that does it.

        Registering the same key twice replaces the earlier object only when
        it is the same object (a module imported twice); otherwise it is an
        error, so two parts cannot silently shadow each other.
        """
        if not isinstance(key, str) or not key.strip():
            raise RegistryError(f"A {self.name} entry needs a non-empty name, not {key!r}.")

        def add(item: T) -> T:
            earlier = self._items.get(key)
            if earlier is not None and earlier is not item and _qualname(earlier) != _qualname(item):
                raise RegistryError(
                    f"{self.name} already has an entry named {key!r} ({_qualname(earlier)}); "
                    f"choose another name for {_qualname(item)}."
                )
            self._items[key] = item
            return item

        return add if obj is None else add(obj)

    def unregister(self, key: str) -> None:
        """Remove ``key`` (for tests that register a toy part)."""
        self._items.pop(key, None)

    def get(self, key: str) -> T:
        """The object named ``key``; an unknown name raises :class:`RegistryError` with a suggestion."""
        self._read_entry_points()
        if key in self._items:
            return self._items[key]
        names = self.names()
        close = difflib.get_close_matches(str(key), names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise RegistryError(
            f"No {self.name} named {key!r}.{hint} Registered: {', '.join(names) or '(none)'}."
        )

    def names(self) -> list[str]:
        """The registered names, in registration order."""
        self._read_entry_points()
        return list(self._items)

    def items(self) -> Iterator[tuple[str, T]]:
        """``(name, object)`` pairs in registration order."""
        self._read_entry_points()
        return iter(list(self._items.items()))

    def __contains__(self, key: object) -> bool:
        self._read_entry_points()
        return key in self._items

    def __len__(self) -> int:
        self._read_entry_points()
        return len(self._items)

    def _read_entry_points(self) -> None:
        if self._entry_points_read:
            return
        self._entry_points_read = True
        for ep in metadata.entry_points(group=f"framing_{self.name}"):
            if ep.name not in self._items:
                try:
                    self._items[ep.name] = ep.load()
                except Exception as exc:  # a broken plug-in must not break the toolkit
                    raise RegistryError(
                        f"The {self.name} entry point {ep.name!r} ({ep.value}) could not be loaded: {exc}. "
                        "Reinstall or uninstall the package that provides it."
                    ) from exc


def _qualname(obj: object) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', type(obj).__name__)}"

"""The scikit-learn estimator contract, for framing's own estimators.

``TopicModeler``, ``FrameMatcher`` and ``FrameClassifier`` follow it
(shared/DESIGN.md): ``__init__`` only stores its arguments, so
:meth:`Estimator.get_params` reads them back and ``sklearn.base.clone``
builds an unfitted copy; ``fit`` returns ``self``; what was learned ends in
an underscore and exists only after a fit that succeeded
(:func:`fit_succeeds_or_leaves_nothing`); ``transform`` first checks that the
object is fitted. ``tests/test_estimator_contract.py`` checks all of it over
every estimator, as scikit-learn's ``parametrize_with_checks`` does.

Examples
--------
>>> class Mean(Estimator):
...     def __init__(self, shift=0.0):
...         self.shift = shift
...     @fit_succeeds_or_leaves_nothing
...     def fit(self, x):
...         self.mean_ = sum(x) / len(x) + self.shift
...         return self
>>> Mean(shift=1.0).get_params()
{'shift': 1.0}
>>> m = Mean()
>>> m.fit([])
Traceback (most recent call last):
...
ZeroDivisionError: division by zero
>>> hasattr(m, "mean_")
False
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


class Estimator:
    """``get_params`` / ``set_params`` from the constructor's signature (as ``sklearn.base.BaseEstimator``).

    Only the two methods: no ``__repr__``, pickling or tag machinery is added, so an estimator's
    behaviour and output stay its own.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's arguments, read back from the attributes ``__init__`` stored them in."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Estimator:
        """Set constructor arguments by name; an unknown name raises ``ValueError`` listing the valid ones."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for {type(self).__name__}. "
                                 f"Valid parameters are: {', '.join(valid)}.")
            setattr(self, name, value)
        return self


def fit_succeeds_or_leaves_nothing(fit: F) -> F:
    """Decorate ``fit`` so that a fit that raises leaves the object as it was before the call.

    A fit sets its learned attributes one by one; when a later step fails, the
    ones set so far would make a half-fitted object look fitted. The wrapper
    puts the attributes back as they were (an unfitted object stays unfitted,
    a fitted one keeps its earlier fit) and re-raises.
    """

    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        before = dict(vars(self))
        try:
            return fit(self, *args, **kwargs)
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            raise

    return wrapper  # type: ignore[return-value]

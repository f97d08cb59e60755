"""Language identification with lingua, whose models ship inside the package.

:class:`LanguageIdentifier` names the language of a text as an ISO 639-1
code, or ``"und"`` (undetermined) when the text is too short or the
detector is unsure. The lingua detector is built once per process and set
of languages (:func:`_detector`) and shared by every identifier; lingua
loads its language models lazily on the first call (about 2 s for twelve
languages), and after that scores roughly 10,000 sentences a second on one
core through its batch API.

Examples
--------
>>> ident = LanguageIdentifier(languages=("en", "nl"))
>>> ident.detect("De Verenigde Staten hebben Syrische troepen aangevallen.")[0]
'nl'
>>> ident.detect("?")
('und', 0.0)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError

logger = logging.getLogger(__name__)

UNDETERMINED = "und"
DEFAULT_LANGUAGES = ("en", "nl", "de", "fr", "es", "it", "pt", "ru", "ar", "tr", "pl", "uk")


def supported_languages() -> list[str]:
    """ISO 639-1 codes lingua can detect.

    >>> "nl" in supported_languages()
    True
    """
    from lingua import Language

    return sorted(language.iso_code_639_1.name.lower() for language in Language.all())


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]):
    """The lingua detector for these languages, built once per process."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper(), None) if code.isalpha() else None
        if iso is None:
            raise ConfigError(
                f"Config value 'language.languages' holds {code!r}, which the language detector (lingua) "
                f"does not know. Use ISO 639-1 codes such as: {', '.join(supported_languages())}."
            )
        isos.append(iso)
    if len(isos) < 2:
        raise ConfigError(
            f"Config value 'language.languages' must name at least two languages. Got {list(codes)!r} instead."
        )
    logger.debug("Building lingua detector for %s", ", ".join(codes))
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


class LanguageIdentifier:
    """Names the language of texts among a fixed set of languages.

    Parameters
    ----------
    languages : sequence of str
        ISO 639-1 codes to choose among (at least two); fewer is faster and surer.
    min_confidence : float
        Texts whose best language scores below this are ``"und"``.
    min_chars : int
        Texts with fewer non-space characters are ``"und"`` (not scored).

    Examples
    --------
    >>> ident = LanguageIdentifier(languages=("en", "nl"), min_chars=5)
    >>> [lang for lang, _ in ident.detect_many(["The war in Syria goes on.", "De oorlog in Syrië gaat door."])]
    ['en', 'nl']
    """

    def __init__(
        self,
        languages: Sequence[str] = DEFAULT_LANGUAGES,
        min_confidence: float = 0.5,
        min_chars: int = 20,
    ) -> None:
        self.languages = languages
        self.min_confidence = min_confidence
        self.min_chars = min_chars

    @classmethod
    def from_config(cls, cfg) -> LanguageIdentifier:
        """An identifier from a :class:`~framing.config.LanguageConfig` (``cfg.language``)."""
        return cls(languages=tuple(cfg.languages), min_confidence=cfg.min_confidence, min_chars=cfg.min_chars)

    @property
    def codes(self) -> tuple[str, ...]:
        """The languages as normalised ISO 639-1 codes, in the order of :meth:`scores` columns."""
        return tuple(dict.fromkeys(str(code).strip().lower() for code in self.languages))

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Confidence of every language for every text.

        Parameters
        ----------
        texts : sequence of str, length n

        Returns
        -------
        ndarray of shape (n, len(codes)), float64
            Rows sum to 1, or to 0 for texts without letters; columns follow :attr:`codes`.
        """
        codes = self.codes
        detector = _detector(codes)
        out = np.zeros((len(texts), len(codes)), dtype=np.float64)
        if not len(texts):
            return out
        column = {code: j for j, code in enumerate(codes)}
        results = detector.compute_language_confidence_values_in_parallel(list(texts))
        for i, values in enumerate(results):
            row = out[i]
            for value in values:
                row[column[value.language.iso_code_639_1.name.lower()]] = value.value
        return out

    def detect(self, text: str) -> tuple[str, float]:
        """The language of one text and its confidence.

        Returns
        -------
        (str, float)
            An ISO 639-1 code, or ``"und"`` when the text is shorter than
            ``min_chars`` (confidence 0.0) or its best score is below
            ``min_confidence`` (that score is returned).
        """
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """:meth:`detect` for many texts in one batched call.

        Parameters
        ----------
        texts : sequence of str, length n

        Returns
        -------
        list of (str, float), length n, in input order
        """
        texts = list(texts)
        long_enough = [i for i, t in enumerate(texts) if _n_visible(t) >= self.min_chars]
        result: list[tuple[str, float]] = [(UNDETERMINED, 0.0)] * len(texts)
        if not long_enough:
            return result
        scores = self.scores([texts[i] for i in long_enough])
        best = scores.argmax(axis=1)
        codes = self.codes
        for row, i in enumerate(long_enough):
            conf = float(scores[row, best[row]])
            lang = codes[best[row]] if conf >= self.min_confidence and conf > 0 else UNDETERMINED
            result[i] = (lang, conf)
        return result


def _n_visible(text: str) -> int:
    """Characters that are not whitespace."""
    return len("".join(text.split()))

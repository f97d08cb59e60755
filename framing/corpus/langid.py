"""Language identification with lingua, whose models ship inside the package.

:class:`LanguageIdentifier` names the language of a text as an ISO 639-1
code, or ``"und"`` (undetermined) when the text is too short or the
detector is unsure. The lingua detector is built once per process and set
of languages (:func:`_detector`) and shared by every identifier; lingua
loads its language models lazily on the first call (about 2 s for twelve
languages), and after that scores a few thousand sentences a second
through its batch API.

How sentences and units get their language (:func:`sentence_languages`):

- A sentence with at least ``min_chars`` non-space characters whose best
  language scores at least ``min_confidence`` keeps that language.
- A unit's language is the one holding most characters among its sure
  sentences (confidence: that language's character-weighted confidence
  over all sure characters). A unit without a sure language is scored as
  a whole; if that is unsure too, the manifest's language wins (with the
  detector's score for it), else the unit is ``"und"``.
- A shorter or unsure sentence takes the language of the nearest sure
  sentences before and after it in its unit when they agree, else its
  unit's language and confidence.

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
from collections.abc import Iterable, Sequence

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


@functools.lru_cache(maxsize=8)
def _columns(codes: tuple[str, ...]) -> dict:
    """lingua ``Language`` -> column of :meth:`LanguageIdentifier.scores`."""
    from lingua import IsoCode639_1, Language

    return {Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())): j for j, c in enumerate(codes)}


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
            Rows sum to 1, or to 0 for texts without letters; columns follow
            :attr:`codes`. Rounded to 6 decimals so that runs are identical.
        """
        codes = self.codes
        detector = _detector(codes)
        out = np.zeros((len(texts), len(codes)), dtype=np.float64)
        if not len(texts):
            return out
        column = _columns(codes)
        texts = list(texts)
        # Batches of at most BATCH_CHARS characters: lingua's memory grows with the batch's text, and a
        # 20 MB input must not need gigabytes (a text longer than that is a batch of its own).
        start = 0
        while start < len(texts):
            end, size = start, 0
            while end < len(texts) and (end == start or size + len(texts[end]) <= BATCH_CHARS):
                size += len(texts[end])
                end += 1
            results = detector.compute_language_confidence_values_in_parallel(texts[start:end])
            for i, values in enumerate(results, start):
                row = out[i]
                for value in values:
                    row[column[value.language]] = value.value
            start = end
        # lingua's sums differ in the last bit with batch composition; rounding keeps runs identical.
        return np.round(out, 6)

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
        # Scraped corpora repeat boilerplate ("Report a typo"): score each distinct text once.
        unique = list(dict.fromkeys(t for t in texts if _n_visible(t) >= self.min_chars))
        found: dict[str, tuple[str, float]] = {}
        if unique:
            scores = self.scores(unique)
            best = scores.argmax(axis=1)
            codes = self.codes
            for row, text in enumerate(unique):
                conf = float(scores[row, best[row]])
                found[text] = (codes[best[row]] if conf >= self.min_confidence and conf > 0 else UNDETERMINED, conf)
        return [found.get(t, (UNDETERMINED, 0.0)) for t in texts]


def unit_language(
    lengths: list[int], detected: list[tuple[str, float]], min_confidence: float
) -> tuple[str, float]:
    """The language holding most characters among confidently detected sentences.

    The confidence is the character-weighted confidence of that language over
    all confidently detected characters (so a mixed unit scores lower).

    >>> lang, conf = unit_language([100, 40, 10], [("en", 0.9), ("nl", 1.0), ("nl", 0.2)], 0.5)
    >>> lang, round(conf, 3)
    ('en', 0.643)
    """
    chars: dict[str, int] = {}
    weighted: dict[str, float] = {}
    total = 0
    for n, (lang, conf) in zip(lengths, detected):
        if lang == UNDETERMINED or conf < min_confidence:
            continue
        chars[lang] = chars.get(lang, 0) + n
        weighted[lang] = weighted.get(lang, 0.0) + conf * n
        total += n
    if not total:
        return UNDETERMINED, 0.0
    best = max(sorted(chars), key=chars.__getitem__)
    return best, weighted[best] / total


def context_languages(
    detected: list[tuple[str, float]], unit_lang: str, unit_conf: float, min_confidence: float
) -> list[tuple[str, float]]:
    """Languages of one unit's sentences: unsure ones take their context's.

    A short or unsure sentence takes the language of the nearest sure
    sentences before and after it in the unit when those agree (or only
    one exists), with the lower of their confidences; otherwise the unit's.
    So "Woods added:" inside a republished English article in a Dutch post
    is English.

    >>> context_languages([("nl", 0.9), ("und", 0.0), ("nl", 0.8), ("und", 0.3), ("en", 1.0)], "nl", 0.7, 0.5)
    [('nl', 0.9), ('nl', 0.8), ('nl', 0.8), ('nl', 0.7), ('en', 1.0)]
    """
    sure = [lang != UNDETERMINED and conf >= min_confidence for lang, conf in detected]
    before: list[tuple[str, float] | None] = []
    last = None
    for item, ok in zip(detected, sure):
        last = item if ok else last
        before.append(last)
    out: list[tuple[str, float]] = [None] * len(detected)  # type: ignore[list-item]
    after = None
    for i in range(len(detected) - 1, -1, -1):
        if sure[i]:
            out[i] = after = detected[i]
            continue
        sides = [x for x in (before[i], after) if x is not None]
        if sides and all(lang == sides[0][0] for lang, _ in sides):
            out[i] = (sides[0][0], min(conf for _, conf in sides))
        else:
            out[i] = (unit_lang, unit_conf)
    return out


def resolve_unsure_units(
    units: list[list], texts: Sequence[str], manifest: Sequence[str | None], ident: LanguageIdentifier
) -> None:
    """Units whose sentences gave no sure language: score the whole text, else trust the manifest.

    Parameters
    ----------
    units : list of [str, float], length n_units
        Language and confidence from :func:`unit_language`; changed in place.
    texts : sequence of str, length n_units
    manifest : sequence of str or None, length n_units
        The manifest's language of each unit (None when it names none).
    ident : LanguageIdentifier

    Notes
    -----
    When the whole text is unsure too, the manifest's language is used with
    the detector's score for it; without one the unit stays ``"und"``.

    >>> units = [["und", 0.0]]
    >>> resolve_unsure_units(units, ["Ja. Nee."], ["nl"], LanguageIdentifier(("en", "nl")))
    >>> units[0][0]
    'nl'
    """
    unsure = [i for i, (lang, conf) in enumerate(units) if lang == UNDETERMINED or conf < ident.min_confidence]
    if not unsure:
        return
    whole = ident.detect_many([texts[i] for i in unsure])
    with_manifest = []
    for i, (lang, conf) in zip(unsure, whole):
        if lang != UNDETERMINED and conf >= ident.min_confidence:
            units[i] = [lang, conf]
        elif manifest[i] is not None:
            with_manifest.append(i)
        else:
            units[i] = [UNDETERMINED, max(conf, units[i][1])]
    if with_manifest:
        codes = ident.codes
        scores = ident.scores([texts[i] for i in with_manifest])
        for row, i in enumerate(with_manifest):
            lang = manifest[i]
            units[i] = [lang, float(scores[row, codes.index(lang)]) if lang in codes else 0.0]

UNIT_PREFIX_CHARS = 1000
BATCH_CHARS = 500_000
"""Most characters scored by lingua in one call (memory grows with it)."""
"""Characters of a unit read to pick its segmentation rules when the manifest names no language."""


def manifest_languages(values: Iterable) -> list[str | None]:
    """Normalised manifest languages: lower-case codes, None where missing or ``"und"``.

    >>> manifest_languages(["NL", None, float("nan"), " und ", "en-GB"])
    ['nl', None, None, None, 'en']
    """
    out = []
    for value in values:
        code = value.strip().lower().replace("_", "-").split("-")[0] if isinstance(value, str) else None
        out.append(code if code and code != UNDETERMINED else None)
    return out


def segmentation_languages(
    texts: Sequence[str], manifest: Sequence[str | None], ident: LanguageIdentifier
) -> list[str]:
    """Language whose segmentation rules each unit uses.

    The manifest's language, else the language detected on the unit's first
    ``UNIT_PREFIX_CHARS`` characters, else ``"en"``.

    >>> segmentation_languages(["?", "De oorlog in Syrië gaat gewoon door."], [None, None], LanguageIdentifier(("en", "nl")))
    ['en', 'nl']
    """
    todo = [i for i, lang in enumerate(manifest) if lang is None]
    guesses = ident.detect_many([texts[i][:UNIT_PREFIX_CHARS] for i in todo])
    langs = [lang or "en" for lang in manifest]
    for i, (lang, _) in zip(todo, guesses):
        langs[i] = lang if lang != UNDETERMINED else "en"
    return langs


def sentence_languages(
    texts: Sequence[str],
    sentences: Sequence[str],
    sizes: Sequence[int],
    manifest: Sequence[str | None],
    ident: LanguageIdentifier,
) -> tuple[list[tuple[str, float]], list[list]]:
    """Language and confidence of every sentence and of every unit.

    Parameters
    ----------
    texts : sequence of str, length n_units
        The units' texts.
    sentences : sequence of str, length n_sentences
        All sentences, unit after unit.
    sizes : sequence of int, length n_units
        How many of ``sentences`` belong to each unit, in order.
    manifest : sequence of str or None, length n_units
    ident : LanguageIdentifier

    Returns
    -------
    per_sentence : list of (str, float), length n_sentences
        Sure sentences keep their own language; others follow
        :func:`context_languages`.
    units : list of [str, float], length n_units
        :func:`unit_language`, then :func:`resolve_unsure_units`.
    """
    detected = ident.detect_many(sentences)
    lengths = [len(s) for s in sentences]
    units, pos = [], 0
    for k in sizes:
        units.append(list(unit_language(lengths[pos : pos + k], detected[pos : pos + k], ident.min_confidence)))
        pos += k
    resolve_unsure_units(units, texts, manifest, ident)
    per_sentence: list[tuple[str, float]] = []
    pos = 0
    for k, (unit_lang, unit_conf) in zip(sizes, units):
        per_sentence.extend(context_languages(detected[pos : pos + k], unit_lang, unit_conf, ident.min_confidence))
        pos += k
    return per_sentence, units


_DROP_SPACE = {c: None for c in range(0x3001) if chr(c).isspace()}


def _n_visible(text: str) -> int:
    """Characters that are not whitespace (one pass, no list of words: texts may be megabytes long)."""
    return len(text.translate(_DROP_SPACE))

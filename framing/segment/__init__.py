"""Sentences with offsets into the input, and the language of every sentence and unit.

- :mod:`.split`: :func:`split_sentences`, the rules that cut a text into sentence spans; word counts.
- :mod:`.sentences`: :func:`build_sentences`, the ``sentences`` table of a ``documents`` table.
- :mod:`.partitioned`: the same, with the per-unit work on the Dask workers under ``--scheduler``.
- :mod:`.step`: :func:`ingest`, the ingest stage (files -> documents -> sentences).

Examples
--------
>>> text = "The U.S. Army said so. Maj. Gen. Smith left!\\n\\n?"
>>> [text[s:e] for s, e in split_sentences(text)]
['The U.S. Army said so.', 'Maj. Gen. Smith left!', '?']
"""

from .sentences import SENTENCE_COLUMNS, build_sentences, split_units
from .split import LIST_LINE_CHARS, SHORT_LINE_RATIO, count_word_chars, count_words, split_sentences

__all__ = ["LIST_LINE_CHARS", "SENTENCE_COLUMNS", "SHORT_LINE_RATIO", "build_sentences", "count_word_chars",
           "count_words", "split_sentences", "split_units"]

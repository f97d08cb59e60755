"""Segmentation over partitions of the units on the active Dask cluster (``--scheduler``), else here.

Each unit's sentences and languages depend on that unit only, so the
partitions' results joined in order are the single-machine results (see
:mod:`framing.parallel`).
"""

from __future__ import annotations

import pandas as pd

from ..parallel import active, map_partitions
from .sentences import build_sentences as local_build
from .sentences import split_units as local_split


def split_units(texts, manifest, ident, max_chars: int, progress: bool = False):
    """:func:`framing.segment.split_units` over partitions of the units on the active cluster's workers."""
    spans, per_sentence, units = [], [], []
    for part_spans, part_sentences, part_units in map_partitions(local_split, (texts, manifest), "segment",
                                                                 extra=(ident, max_chars)):
        spans += part_spans
        per_sentence += part_sentences
        units += part_units
    return spans, per_sentence, units


def build_sentences(documents: pd.DataFrame, cfg, identifier=None, progress: bool = False):
    """:func:`framing.segment.build_sentences`, with the per-unit work on the active cluster's workers if any."""
    if active() is None or len(documents) < 2:
        return local_build(documents, cfg, identifier, progress=progress)
    return local_build(documents, cfg, identifier, split=split_units)

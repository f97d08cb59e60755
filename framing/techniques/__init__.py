"""Propaganda techniques: catalogs, the trained detector, the zero-shot scorer, the tables and their evaluation.

The stage has the shape of :mod:`framing.frames`:

- :mod:`.catalog`: technique catalogs (YAML, the frame catalog format with ``techniques:`` and ``span:``);
- :mod:`.scorers`: ``catalog`` (zero-shot, like frame catalogs) and ``trained`` in a registry;
- :mod:`.model`, :mod:`.features`, :mod:`.train`: the trained detector (sentence classifiers, span tagger,
  span classifier on frozen embeddings and hashed words), learned from coded spans (:mod:`.ptc`);
- :mod:`.tables`: ``sentence_techniques``, ``technique_spans``, ``document_techniques``, ``techniques``;
- :mod:`.step`: the step ``framing analyze --techniques`` runs;
- :mod:`.evaluate`: span identification, technique classification, sentence and document level.

Examples
--------
>>> from framing.techniques import load_technique_catalog
>>> load_technique_catalog("propaganda").span_of("name-calling")
'word'
"""

from .catalog import (TechniqueCatalog, bundled_technique_catalogs, load_technique_catalog,
                      parse_technique_catalog)
from .tables import Decisions, TechniqueTables, technique_tables

__all__ = ["Decisions", "TechniqueCatalog", "TechniqueTables", "bundled_technique_catalogs",
           "load_technique_catalog", "parse_technique_catalog", "technique_tables"]

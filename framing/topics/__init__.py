"""Topics: BERTopic over precomputed sentence embeddings, and what is made of them.

The only package that imports ``bertopic``, ``umap`` and ``hdbscan`` (inside
:mod:`framing.topics.model`, lazily). The parts:

- :mod:`~framing.topics.model`: :class:`TopicModeler` (UMAP + HDBSCAN + c-TF-IDF,
  readable keywords, outlier reduction, merging);
- :mod:`~framing.topics.text`: stop words, the filler rule, labels;
- :mod:`~framing.topics.sizing`: cluster sizes that follow the corpus;
- :mod:`~framing.topics.documents`: the ``document_topics`` table, merging and dropping topics by documents;
- :mod:`~framing.topics.hierarchy`: the ``topic_hierarchy`` table;
- :mod:`~framing.topics.quality`: NPMI coherence and diversity;
- :mod:`~framing.topics.neighbors`: exact cosine neighbours for UMAP below 30,000 sentences;
- :mod:`~framing.topics.lean_import`: BERTopic imported without torch and transformers.

Names are re-exported lazily, so ``framing.config`` can import the filler
defaults without loading the model module.
"""

from importlib import import_module

_EXPORTS = {
    "TopicModeler": "model", "MIN_SENTENCES": "model", "TOPIC_COLUMNS": "model",
    "representative_rows": "model", "save_bertopic": "model", "load_bertopic": "model",
    "ResolvedParams": "sizing", "resolve_params": "sizing", "auto_min_cluster_size": "sizing",
    "TOKEN_PATTERN": "text", "DEFAULT_FILLER_PATTERNS": "text", "filler_mask": "text",
    "content_words": "text", "normalize_lang": "text", "stop_words_for": "text",
    "keyword_preprocessor": "text", "readable_label": "text",
    "document_topics": "documents", "main_topics": "documents", "DOCUMENT_TOPIC_COLUMNS": "documents",
    "unanchored_topics": "documents", "repeated_mask": "text", "normalize_sentence": "text",
    "topic_hierarchy": "hierarchy", "HIERARCHY_COLUMNS": "hierarchy",
    "npmi_coherence": "quality", "topic_diversity": "quality", "quality_summary": "quality",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'framing.topics' has no attribute {name!r}")

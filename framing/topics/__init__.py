"""Topics: BERTopic over precomputed sentence embeddings, and what is made of them.

The only package that imports ``bertopic``, ``umap`` and ``hdbscan`` (lazily). The parts:

- :mod:`~framing.topics.model`: :class:`TopicModeler`, the estimator that composes the others;
- :mod:`~framing.topics.adapter`: BERTopic built, fitted and edited (UMAP/PCA + HDBSCAN + c-TF-IDF,
  readable keywords, outlier reduction, merging);
- :mod:`~framing.topics.reduction`: the reducers by name (the ``reducers`` registry);
- :mod:`~framing.topics.rules`: the filler and boilerplate rules, and the document rules after fitting;
- :mod:`~framing.topics.describe`: keywords, labels, representative sentences, coherence;
- :mod:`~framing.topics.saved`: a fitted BERTopic saved and loaded (safetensors, no pickle);
- :mod:`~framing.topics.sizing`: cluster sizes that follow the corpus;
- :mod:`~framing.topics.documents`: the ``document_topics`` table, merging and dropping topics by documents;
- :mod:`~framing.topics.hierarchy`: the ``topic_hierarchy`` table;
- :mod:`~framing.topics.quality`: NPMI coherence and diversity;
- :mod:`~framing.topics.neighbors`: exact cosine neighbours for UMAP below 30,000 sentences;
- :mod:`~framing.topics.lean_import`: BERTopic imported without torch and transformers.

Words (tokens, stop words, normal forms) are counted in :mod:`framing.words`. Names are
re-exported lazily, so importing the package loads no model module.
"""

from importlib import import_module

_EXPORTS = {
    "TopicModeler": "model", "MIN_SENTENCES": "model", "distinct_rows": "model",
    "TOPIC_COLUMNS": "describe", "representative_rows": "describe", "readable_label": "describe",
    "shared_keywords": "describe",
    "save_bertopic": "saved", "load_bertopic": "saved",
    "REDUCERS": "reduction", "make_reducer": "reduction",
    "ResolvedParams": "sizing", "resolve_params": "sizing", "auto_min_cluster_size": "sizing",
    "auto_min_samples": "sizing", "auto_min_main_documents": "sizing",
    "filler_mask": "rules", "repeated_mask": "rules", "sentence_rules": "rules", "SentenceRules": "rules",
    "document_topics": "documents", "main_topics": "documents", "DOCUMENT_TOPIC_COLUMNS": "documents",
    "unanchored_topics": "documents", "lead_weights": "documents", "topic_specificity": "documents",
    "majority_topics": "documents",
    "topic_hierarchy": "hierarchy", "HIERARCHY_COLUMNS": "hierarchy",
    "npmi_coherence": "quality", "topic_diversity": "quality", "quality_summary": "quality",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'framing.topics' has no attribute {name!r}")

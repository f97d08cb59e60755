"""framing: detect narratives and propaganda framing across sources.

The public API, re-exported lazily so that ``import framing`` stays fast
(the heavy libraries load only when a stage that needs them is used).

>>> import framing
>>> cfg = framing.load_config(overrides=["seed=1"])
>>> cfg.seed
1
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Config": "framing.config",
    "load_config": "framing.config",
    "FramingError": "framing.errors",
    "ingest": "framing.segment.step",
    "IngestResult": "framing.corpus.ingest",
    "read_inputs": "framing.corpus.readers",
    "split_page": "framing.corpus.structure",
    "split_sentences": "framing.segment",
    "analyze": "framing.api",
    "load_run": "framing.run",
    "Run": "framing.run",
    "run_ingest": "framing.jobs.ingest",
    "load_run_config": "framing.jobs.common",
    "RunResult": "framing.jobs.common",
    "get_embedder": "framing.embed",
    "embed_texts": "framing.embed",
    "EmbeddingCache": "framing.embed",
    "TopicModeler": "framing.topics",
    "topic_prevalence": "framing.compare",
    "load_catalog": "framing.frames",
    "FrameMatcher": "framing.frames",
    "validate": "framing.frames.validate",
    "draw_sample": "framing.jobs.sample",
    "read_tables": "framing.store",
    "read_run_json": "framing.store",
    "write_report": "framing.report",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")

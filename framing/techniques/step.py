"""The techniques step of a run: scored sentences in, the four technique tables and run.json info out.

``scorer``: ``auto`` uses the model trained beside the catalog when there is
one for the run's embedder (``framing techniques train``), else the catalog
zero-shot; ``trained`` requires the model; ``catalog`` ignores it.
``corroborate`` (``techniques.corroborate``): zero-shot, a clause technique
also needs one of its cue words in the sentence.

Examples
--------
>>> tables, info = technique_step(sentences, vectors, rows, embedder, ["propaganda"])   # doctest: +SKIP
>>> sorted(tables)                                                                      # doctest: +SKIP
['document_techniques', 'sentence_techniques', 'technique_spans', 'techniques']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import CatalogError
from .catalog import TechniqueCatalog, load_technique_catalog, resolve_technique_catalog_path
from .scorers import technique_scorers
from .tables import technique_tables

SCORERS = ("auto", "trained", "catalog")


def check_techniques(catalogs: Sequence[str], scorer: str = "auto") -> list[TechniqueCatalog]:
    """Resolve and parse the technique catalogs before any work (a run fails early, not after embedding)."""
    if scorer not in SCORERS:
        raise CatalogError(f"The 'techniques.scorer' setting must be one of {', '.join(SCORERS)}. Got {scorer!r}.")
    if len(catalogs) > 1:
        raise CatalogError(f"One technique catalog per run; got {len(catalogs)} ({', '.join(catalogs)}). Merge them "
                           "into one file.")
    return [load_technique_catalog(c) for c in catalogs]


def technique_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, embedder,
                   catalogs: Sequence[str], scorer: str = "auto", cache=None, seed: int = 42,
                   say: Callable[[str], None] = lambda _m: None,
                   documents: pd.DataFrame | None = None, corroborate: bool = True) -> tuple[dict, dict]:
    """Score the embedded sentences for the catalog's techniques.

    Parameters
    ----------
    sentences : DataFrame
        The run's sentences (sentence_id, doc_id, start, end, text, source, ...).
    vectors : ndarray of shape (len(rows), dim)
        Embeddings of ``sentences.iloc[rows]`` by ``embedder``.
    rows : ndarray of int
        Positions of the embedded sentences.
    embedder : Embedder
    catalogs : sequence of str
        One technique catalog (a file or a bundled name such as ``propaganda``).
    scorer : "auto", "trained" or "catalog"
    cache : EmbeddingCache, optional
        Span texts and anchors are embedded through it.
    documents : DataFrame, optional
        doc_id and text: span texts and repetition counts read the documents (else rebuilt from sentences).
    corroborate : bool, default True
        Zero-shot only (``techniques.corroborate``): a clause technique is decided for a sentence only when
        the sentence also holds one of its cue words. The trained model ignores it.

    Returns
    -------
    tables : dict of str to DataFrame
        ``sentence_techniques``, ``technique_spans``, ``document_techniques``, ``techniques``.
    info : dict
        For run.json: catalog, scorer used, corroborate (None when the trained model decided), model, counts.
    """
    from ..embed import embed_texts
    from .train import load_model_for

    (catalog,) = check_techniques(catalogs, scorer)
    path = resolve_technique_catalog_path(catalogs[0])
    scored = sentences.iloc[rows].reset_index(drop=True)
    model = load_model_for(path, embedder, say) if scorer != "catalog" else None
    if scorer == "trained" and model is None:
        raise CatalogError(f"techniques.scorer is 'trained' but {path} has no model trained with {embedder.name}. "
                           f"Train one: framing techniques train {path} --ptc DIR (or set techniques.scorer: auto).")
    doc_texts = None
    if documents is not None and "text" in documents:
        doc_texts = dict(zip(documents["doc_id"].astype(str), documents["text"].fillna("").astype(str)))

    def encode(texts):
        return embed_texts(list(texts), embedder, cache)[0]

    name = "trained" if model is not None else "catalog"
    say(f"Scoring {len(catalog)} techniques of {path.name} ({'trained model' if model else 'catalog, zero-shot'})")
    dec = technique_scorers.get(name)(catalog, scored, vectors, model=model, encode=encode, embedder=embedder,
                                      cache=cache, seed=seed, doc_texts=doc_texts, corroborate=corroborate)
    tables = technique_tables(dec, scored, catalog)
    st, spans, docs = tables.sentence_techniques, tables.technique_spans, tables.document_techniques
    n_docs = int(docs["matched"].astype(bool).sum()) if len(docs) else 0
    say(f"{int(st['matched'].sum())} sentence-technique matches, {len(spans)} spans, {n_docs} document-technique "
        "matches")
    info = {"catalog": str(path), "scorer": name, "corroborate": corroborate if name == "catalog" else None,
            "techniques": len(catalog),
            "matches": int(st["matched"].sum()), "spans": int(len(spans)), "document_matches": n_docs,
            "model": model.info() if model is not None else None}
    return tables.as_dict(), info

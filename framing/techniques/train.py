"""Training a technique catalog on coded spans (a copy of PTC or the user's own), saved beside the catalog.

The coded articles go through the same steps as ``framing analyze``
(language identification, the sentence splitter, the run's embedder and its
cache), so the model learns on exactly what it will later score.

Examples
--------
>>> coded = prepare_coded(catalog, documents, spans, cfg)          # doctest: +SKIP
>>> model = fit_model(catalog, coded, seed=42)                     # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CatalogError, InputError
from .model import TechniqueModel, load_model, model_path, save_model


@dataclass(frozen=True)
class CodedSpans:
    """Coded documents prepared like a run: their sentences, embeddings and resolved spans.

    documents : DataFrame (doc_id, text, ...)
    sentences : DataFrame of the non-fragment sentences (sentence_id, doc_id, start, end, text, lang)
    vectors : ndarray of shape (len(sentences), dim)
    spans : DataFrame (doc_id, technique_id, start, end, technique: the coded name)
    span_vectors : ndarray of shape (len(spans), dim)
    embedder : the Embedder; model : its spec
    unknown : dict of coded name to count, for names the catalog does not know (left out)
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    vectors: np.ndarray
    spans: pd.DataFrame
    span_vectors: np.ndarray
    embedder: object
    model: str
    unknown: dict

    def doc_texts(self) -> dict:
        return dict(zip(self.documents["doc_id"].astype(str), self.documents["text"]))

    def subset(self, doc_ids) -> "CodedSpans":
        """The same data for some documents only (a split by article)."""
        keep = set(map(str, doc_ids))
        s = self.sentences["doc_id"].astype(str).isin(keep).to_numpy()
        p = self.spans["doc_id"].astype(str).isin(keep).to_numpy()
        d = self.documents["doc_id"].astype(str).isin(keep).to_numpy()
        return CodedSpans(self.documents[d].reset_index(drop=True), self.sentences[s].reset_index(drop=True),
                          self.vectors[s], self.spans[p].reset_index(drop=True), self.span_vectors[p],
                          self.embedder, self.model, self.unknown)


def resolve_spans(spans: pd.DataFrame, catalog) -> tuple[pd.DataFrame, dict]:
    """Coded technique names to catalog ids; spans whose name the catalog does not know are left out (counted)."""
    names = spans["technique"].astype(str)
    lookup = {n: catalog.resolve_id(n) for n in names.unique()}
    ids = names.map(lookup)
    unknown = names[ids.isna()].value_counts().to_dict()
    out = spans.assign(technique_id=ids)[ids.notna().to_numpy()].reset_index(drop=True)
    if not len(out):
        raise CatalogError(f"None of the coded technique names ({', '.join(sorted(lookup)[:8])}) is an id or alias of "
                           f"the technique catalog {catalog.name!r} ({', '.join(catalog.ids)}). Add the names to the "
                           "techniques' 'aliases'.")
    return out, unknown


def prepare_coded(catalog, documents: pd.DataFrame, spans: pd.DataFrame, cfg, model: str | None = None,
                  say=lambda _m: None) -> CodedSpans:
    """Sentences, embeddings and resolved spans of coded documents, prepared like ``framing analyze`` does.

    Parameters
    ----------
    catalog : TechniqueCatalog
    documents : DataFrame with doc_id and text (``language`` optional)
    spans : DataFrame with doc_id, technique, start, end
    cfg : Config
        ``language``, ``segment``, ``embedding`` (model choice and cache).
    model : str, optional
        Embedder spec; default ``cfg.embedding.model`` (``auto`` chooses from the languages).
    """
    from ..embed import cache_from_config, embed_texts, get_embedder, resolve_model
    from ..segment import build_sentences

    if not len(documents):
        raise InputError("No coded documents were given.")
    resolved, unknown = resolve_spans(spans, catalog)
    sentences, _, _ = build_sentences(documents, cfg)
    sentences = sentences[~sentences["is_fragment"].to_numpy(bool)].reset_index(drop=True)
    spec, reason = resolve_model(model or cfg.embedding.model, sentences["lang"].tolist(), cfg.embedding)
    say(f"Embedding model: {spec} ({reason})")
    embedder = get_embedder(spec, cfg.embedding)
    cache = cache_from_config(cfg.embedding)
    vectors, _ = embed_texts(sentences["text"].tolist(), embedder, cache, batch_size=cfg.embedding.batch_size)
    text = dict(zip(documents["doc_id"].astype(str), documents["text"]))
    span_texts = [text[d][a:b] for d, a, b in zip(resolved["doc_id"].astype(str), resolved["start"], resolved["end"])]
    span_vectors, _ = embed_texts(span_texts, embedder, cache, batch_size=cfg.embedding.batch_size)
    return CodedSpans(documents.reset_index(drop=True), sentences, vectors, resolved, span_vectors, embedder, spec,
                      unknown)


def fit_model(catalog, coded: CodedSpans, seed: int = 42, C: float = 1.0, folds: int = 3) -> TechniqueModel:
    """A :class:`TechniqueModel` fitted on prepared coded spans."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)  # liblinear's notes on tiny folds
        return TechniqueModel(list(catalog.ids), C=C, folds=folds, seed=seed).fit(
            coded.sentences, coded.vectors, coded.spans, coded.span_vectors, coded.doc_texts())


def save_beside(model: TechniqueModel, catalog_path: str | Path, coded: CodedSpans, source: str) -> Path:
    """Save the model beside the catalog (a bundled catalog is first copied to the working folder)."""
    from ..frames.trained import working_copy
    from .catalog import TECHNIQUE_CATALOG_DIR

    target, _ = working_copy(catalog_path, catalog_dir=TECHNIQUE_CATALOG_DIR, command="framing techniques train")
    meta = {"embedder": coded.embedder.name, "embedder_model": coded.model, "dim": int(coded.embedder.dim),
            "trained_on": source, "documents": int(len(coded.documents)), "spans": int(len(coded.spans)),
            "sentences": int(len(coded.sentences))}
    return save_model(model, model_path(target), meta)


def load_model_for(catalog_path: str | Path, embedder, say=lambda _m: None):
    """The trained model beside the catalog when it was fitted in this embedder's space, else None (with why)."""
    path = model_path(catalog_path)
    if not path.is_file():
        return None
    model, meta = load_model(path)
    if meta.get("embedder") != embedder.name or int(meta.get("dim", -1)) != int(embedder.dim):
        from ..errors import FrameWarning

        warnings.warn(f"The technique model {path} was fitted on embeddings of '{meta.get('embedder')}' but this run "
                      f"uses '{embedder.name}'; techniques are scored zero-shot from the catalog. Train it again with "
                      "this run's model to use it.", FrameWarning, stacklevel=2)
        return None
    say(f"Using the technique model {path} (trained on {meta.get('trained_on', '?')})")
    return model

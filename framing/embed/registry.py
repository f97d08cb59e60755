"""Embedders by name: the registry behind ``embedding.model``.

``embedding.model`` is ``auto`` (see :mod:`framing.embed.auto`), a registered
name, or a sentence-transformers model name or folder.

Examples
--------
>>> available_embedders()
['hashing', 'sentence-transformers', 'use-multilingual']
>>> get_embedder("hashing").name
'hashing-256-v1'
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..config import EmbeddingConfig
from ..errors import EmbeddingError
from .base import Embedder
from .hashing import HashingEmbedder

Factory = Callable[[EmbeddingConfig], Embedder]

logger = logging.getLogger(__name__)

_REGISTRY: dict[str, Factory] = {}
# Other spellings people use for the same backend.
_ALIASES = {"sbert": "sentence-transformers", "use": "use-multilingual"}


def register_embedder(name: str, factory: Factory) -> None:
    """Make ``factory(cfg) -> Embedder`` available as ``embedding.model: name``."""
    if not name or name == "auto":
        raise EmbeddingError(f"Cannot register an embedder under the name {name!r}; choose another name.")
    _REGISTRY[name] = factory


def available_embedders() -> list[str]:
    """The registered embedder names, sorted."""
    return sorted(_REGISTRY)


def _sbert_default(cfg: EmbeddingConfig) -> Embedder:
    from .sbert import BUNDLED_REPO, SentenceTransformerEmbedder

    return SentenceTransformerEmbedder.from_spec(
        BUNDLED_REPO, device=cfg.device, batch_size=cfg.batch_size, registered=available_embedders(),
        backend=cfg.backend,
    )


def _torch_only(name: str, cfg: EmbeddingConfig) -> None:
    if cfg.backend != "torch":
        raise EmbeddingError(
            f"embedding.backend: {cfg.backend} applies to sentence-transformers models only, and the model is "
            f"'{name}'. Set embedding.backend: torch, or embedding.model: sentence-transformers "
            "(or another sentence-transformers model)."
        )


def _use(cfg: EmbeddingConfig) -> Embedder:
    from .use import UniversalSentenceEncoder

    _torch_only("use-multilingual", cfg)
    # One sentence per call is too small a product to share between BLAS threads.
    return UniversalSentenceEncoder(threads=1 if cfg.batch_independent else None)


def _hashing(cfg: EmbeddingConfig) -> Embedder:
    _torch_only("hashing", cfg)
    return HashingEmbedder()


register_embedder("sentence-transformers", _sbert_default)
register_embedder("use-multilingual", _use)
register_embedder("hashing", _hashing)


def get_embedder(spec: str, cfg: EmbeddingConfig | None = None) -> Embedder:
    """The embedder named by ``spec``.

    Parameters
    ----------
    spec : str
        A registered name (see :func:`available_embedders`), or a
        sentence-transformers model name (found offline) or local folder.
        ``auto`` must first go through :func:`framing.embed.resolve_model`.
    cfg : EmbeddingConfig, optional
        Device and batch size; defaults when None.

    Returns
    -------
    Embedder

    Raises
    ------
    EmbeddingError
        For an unknown name (listing the registered ones), a model that is not
        available offline, or a missing optional package.
    """
    cfg = cfg or EmbeddingConfig()
    if not isinstance(spec, str) or not spec.strip():
        raise EmbeddingError(
            f"The 'embedding.model' setting must be a non-empty name or path. Got {spec!r} instead. "
            f"Registered names: auto, {', '.join(available_embedders())}."
        )
    spec = spec.strip()
    if spec == "auto":
        raise EmbeddingError(
            "The model 'auto' depends on the corpus languages: call resolve_model('auto', langs, cfg) "
            "first and pass the spec it returns."
        )
    name = _ALIASES.get(spec, spec)
    if name in _REGISTRY:
        embedder = _REGISTRY[name](cfg)
    else:
        from .sbert import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder.from_spec(
            spec, device=cfg.device, batch_size=cfg.batch_size, registered=["auto", *available_embedders()],
            backend=cfg.backend,
        )
    return _with_batch_setting(embedder, cfg.batch_independent)


def _with_batch_setting(embedder: Embedder, batch_independent: bool) -> Embedder:
    """``embedder`` marked with ``embedding.batch_independent`` (read by :func:`framing.embed.embed_texts`)."""
    try:
        embedder.batch_independent = batch_independent
    except AttributeError:  # a registered backend whose objects take no new attribute: it says for itself
        logger.info("The embedder %s takes no 'batch_independent' attribute; its own setting is used.",
                    getattr(embedder, "name", embedder))
    return embedder

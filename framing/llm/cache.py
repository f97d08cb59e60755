"""Answers of a language model, kept on disk so that a second run asks the server nothing.

An answer is keyed by the model's name, the whole request (every message:
the codebook prompt and the text) and the sampling parameters (temperature,
seed, answer format); one JSON file per answer under
``<embedding.cache_dir>/llm/`` (:func:`framing.diskcache.cache_subdir`:
``embedding.cache: false`` turns it off, a folder others may write is not
used). Each file is signed with this user's cache key
(:func:`framing.diskcache.sign`): a file someone else wrote or changed is
ignored with a :class:`~framing.errors.CacheWarning`, and the server is asked
again. The server's URL and the API key are not part of the key and never
written: the same model behind another URL reuses its answers.

Examples
--------
>>> import os, tempfile
>>> os.environ["FRAMING_CACHE_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), "cache.key")
>>> cache = AnswerCache(tempfile.mkdtemp())
>>> key = request_key("gemma", [{"role": "user", "content": "hi"}], {"temperature": 0})
>>> cache.get(key) is None
True
>>> cache.put(key, {"content": "hello"})
>>> cache.get(key)["content"]
'hello'
>>> del os.environ["FRAMING_CACHE_KEY_FILE"]
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path

from ..diskcache import sign, verify
from ..errors import CacheWarning

KIND = "llm"
FORMAT = 1


def request_key(model: str, messages: list[dict], params: dict) -> str:
    """The sha256 naming one request: model, messages and sampling parameters (never the URL or key)."""
    body = json.dumps({"format": FORMAT, "model": model, "messages": messages, "params": params},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AnswerCache:
    """Signed JSON files of answers, one per request key, in ``folder`` (two-letter sub-folders).

    Parameters
    ----------
    folder : path
        A folder only this user may write (see :func:`framing.diskcache.cache_subdir`).
    """

    def __init__(self, folder):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored answer for ``key``; None when there is none or it does not verify (with a warning)."""
        path = self._path(key)
        if not os.path.lexists(path):
            return None
        try:
            if path.is_symlink():
                raise ValueError("it is a symbolic link")
            data = json.loads(path.read_text(encoding="utf-8"))
            payload = json.dumps(data["answer"], sort_keys=True, ensure_ascii=False).encode("utf-8")
            if data.get("format") != FORMAT or not verify(KIND, key, payload, bytes.fromhex(str(data["mac"]))):
                raise ValueError("its signature does not verify: it was not written by you, or it was changed")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            warnings.warn(f"The cached answer {path} is not used ({exc}); the server is asked again and the "
                          "entry replaced.", CacheWarning, stacklevel=2)
            return None
        return data["answer"]

    def put(self, key: str, answer: dict) -> None:
        """Store ``answer`` (a JSON-able mapping) under ``key``, signed; written whole or not at all."""
        payload = json.dumps(answer, sort_keys=True, ensure_ascii=False).encode("utf-8")
        data = {"format": FORMAT, "answer": answer, "mac": sign(KIND, key, payload).hex()}
        path = self._path(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".answer-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


class NoCache:
    """The cache when caching is off: remembers nothing."""

    def get(self, key: str) -> None:
        return None

    def put(self, key: str, answer: dict) -> None:
        return None

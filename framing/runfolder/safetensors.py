"""The safetensors format, read and written without the ``safetensors`` package (no code runs).

A file is an 8-byte little-endian header length, a JSON header mapping each tensor to
its ``dtype``, ``shape`` and ``data_offsets``, then raw little-endian data. The topic
model of a run keeps its topic embeddings so (:mod:`framing.runfolder.received` reads them).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import RunStoreError

MAX_TENSOR_BYTES = 2 * 2**30
"""topic_embeddings.safetensors (10,000 topics of 1,024 float32 dimensions are 40 MB)."""
MAX_HEADER_BYTES = 16 * 2**20
"""The JSON header of a safetensors file."""

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2"}


def read_safetensors(run_dir: str | Path, rel: str, name: str, limit: int = MAX_TENSOR_BYTES) -> np.ndarray:
    """One tensor of a safetensors file inside the run, parsed without the ``safetensors`` package.

    The format is an 8-byte little-endian header length, a JSON header mapping each tensor to
    its ``dtype``, ``shape`` and ``data_offsets`` (into the data that follows), then raw
    little-endian data. Only floating-point tensors are accepted; every offset and size is checked.

    Returns
    -------
    ndarray, float64, of the tensor's shape
    """
    from .received import read_bytes  # inside the run, no link followed, size-limited

    data = read_bytes(run_dir, rel, limit)
    where = f"{rel} in {Path(run_dir)}"

    def bad(why: str) -> RunStoreError:
        return RunStoreError(f"{where} is not a valid safetensors file ({why}); the run may be damaged: "
                             "rerun the analysis to write its topic model again.")

    if len(data) < 8:
        raise bad("shorter than its 8-byte header length" if data else "empty")
    size = int.from_bytes(data[:8], "little")
    if size > min(MAX_HEADER_BYTES, len(data) - 8):
        raise bad(f"header of {size:,} bytes in a file of {len(data):,}")
    try:
        header = json.loads(data[8:8 + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise bad("its header is not JSON") from None
    entry = header.get(name) if isinstance(header, dict) else None
    if not isinstance(entry, dict):
        raise bad(f"no tensor {name!r}")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if dtype not in _DTYPES:
        raise bad(f"tensor {name!r} has dtype {dtype!r}; framing reads {', '.join(_DTYPES)}")
    if (not isinstance(shape, list) or len(shape) != 2 or not all(isinstance(n, int) and n >= 0 for n in shape)
            or not isinstance(offsets, list) or len(offsets) != 2
            or not all(isinstance(n, int) and n >= 0 for n in offsets)):
        raise bad(f"tensor {name!r} needs a 2-D shape and two data offsets")
    begin, end = offsets
    itemsize = np.dtype(_DTYPES[dtype]).itemsize
    body = len(data) - 8 - size
    if begin > end or end > body or end - begin != shape[0] * shape[1] * itemsize:
        raise bad(f"tensor {name!r}: offsets {offsets} do not fit shape {shape} of {dtype} in {body:,} data bytes")
    start = 8 + size + begin
    array = np.frombuffer(data, dtype=_DTYPES[dtype], count=shape[0] * shape[1], offset=start).reshape(shape)
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise bad(f"tensor {name!r} holds NaN or infinite values")
    return array


def write_safetensors(path: str | Path, tensors: dict[str, np.ndarray]) -> None:
    """Write float32 2-D tensors in the safetensors format (for tests and tools; BERTopic writes framing's)."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-len(head) % 8)
    Path(path).write_bytes(len(head).to_bytes(8, "little") + head + b"".join(blobs))

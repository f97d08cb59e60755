"""``framing code RUN``: code a run's documents or sentences with a language model, name its topics.

The job reads a run folder, codes the chosen items with the frame catalog
as codebook (:mod:`framing.llm.coding`), and writes into the run:

- ``tables/llm_codes.parquet``: the codes (a new coding of one level
  replaces that level's earlier codes);
- ``tables/llm_topics.parquet`` with ``--topics``: topic names and descriptions;
- ``tables/llm_agreement.parquet`` with ``--gold``: F1 per frame and
  Krippendorff's alpha of the model's codes against human codes;
- run.json ``llm``: the model, the server (without credentials), the
  codebook's digest, what was coded, and each stage's time and tokens;
  never the API key;

then rebuilds report.html when the run has one. Items: ``all``, a seeded
``sample`` of n, or ``matches``: only the items the embedding scorer
matched to a frame (a second opinion on them).

The server settings come from the user's own config and options
(``llm.*``), never from the run's run.json: a received run cannot choose
where its corpus is sent.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from .. import store
from ..errors import InputError, LLMError, LLMWarning, RunStoreError
from ..llm.agreement import agreement_table
from ..llm.coding import LLM_CODES, code_texts, codes_as_labels, codes_table
from ..llm.codebook import codebook_prompt
from ..llm.topics import LLM_TOPICS, name_topics

LLM_AGREEMENT = "llm_agreement"
SELECTIONS = ("all", "sample", "matches")


@dataclass(frozen=True)
class CodeResult:
    """What ``framing code`` wrote: the new codes, topic names and agreement (None when not asked), run.json's llm."""

    codes: pd.DataFrame
    topics: pd.DataFrame | None
    agreement: pd.DataFrame | None
    info: dict


def public_url(url: str) -> str:
    """The server URL as run.json records it: without user, password, query or fragment.

    >>> public_url("https://user:secret@api.example.org/v1?key=abc")
    'https://api.example.org/v1'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def make_client(llm_cfg, embedding_cfg, seed: int):
    """The :class:`~framing.llm.client.ChatClient` of the config, with the answer cache when caching is on."""
    from ..diskcache import cache_subdir
    from ..llm.cache import AnswerCache, NoCache
    from ..llm.client import ChatClient

    folder = cache_subdir(embedding_cfg, "llm")
    return ChatClient(llm_cfg.url, llm_cfg.model, api_key_env=llm_cfg.api_key_env, timeout=llm_cfg.timeout,
                      max_retries=llm_cfg.max_retries, concurrency=llm_cfg.concurrency,
                      temperature=llm_cfg.temperature, seed=seed, max_tokens=llm_cfg.max_tokens,
                      structured=llm_cfg.structured, system_role=llm_cfg.system_role,
                      cache=AnswerCache(folder) if folder else NoCache())


def _catalog(meta: dict, frames):
    from ..frames import load_catalogs
    from ..frames.catalog import resolve_catalog_path

    if not frames:
        fcfg = (meta.get("config") or {}).get("frames") or {}
        frames = list(fcfg.get("catalogs") or []) or ([fcfg["default_catalog"]] if fcfg.get("default_catalog") else [])
    if not frames:
        raise InputError("The run used no frame catalog; give one with --frames (a YAML file or a bundled name "
                         "such as news-frames).")
    return load_catalogs([resolve_catalog_path(f) for f in frames])


def _items(tables: dict, level: str, select: str, sample: int | None, seed: int, run_dir) -> pd.DataFrame:
    """The items to code: doc_id, sentence_id, text, lang, record_id (the input record's id: documents only)."""
    if level == "document":
        docs = tables["documents"]
        items = pd.DataFrame({"doc_id": docs["doc_id"], "sentence_id": None, "text": docs["text"],
                              "lang": docs.get("language"), "record_id": docs.get("record_id")})
        matched_table, key = "document_frames", "doc_id"
    else:
        sents = tables["sentences"]
        sents = sents[~sents["is_fragment"].astype(bool)] if "is_fragment" in sents else sents
        items = sents[["doc_id", "sentence_id", "text", "lang"]].assign(record_id=None)
        matched_table, key = "sentence_frames", "sentence_id"
    if select == "matches":
        frames = tables.get(matched_table)
        if frames is None:
            raise RunStoreError(f"{run_dir} has no {matched_table} table: it matched no frames, so --select matches "
                                "has nothing to check. Use --select all or sample.")
        hits = set(frames.loc[frames["matched"].astype(bool), key])
        items = items[items[key].isin(hits)]
    elif select == "sample":
        if not sample:
            raise InputError("--select sample needs --sample N (how many items to code).")
        items = items.sample(n=min(sample, len(items)), random_state=seed).sort_index()
    return items.reset_index(drop=True)


def _gold_sets(gold_path, catalog, items: pd.DataFrame, level: str) -> tuple[list, list]:
    """The human codes of the coded items, and their rows in ``items``.

    A label names its item by the run's ``doc_id`` / ``sentence_id``, by ``id`` (the input record's id,
    documents only), or by its exact ``text``.
    """
    from ..frames.labelled import read_labels, resolve_label_ids

    labels = read_labels(gold_path, catalog)
    ids = resolve_label_ids(labels, catalog)
    key = "doc_id" if level == "document" else "sentence_id"
    lookups = []
    for col, mine in ((key, key), ("id", "record_id"), ("text", "text")):
        if col in labels and mine in items:
            table = {str(v): s for v, s in zip(labels[col], ids) if v is not None and str(v)}
            lookups.append((table, [None if v is None or pd.isna(v) else str(v) for v in items[mine]]))
    rows, gold = [], []
    for i in range(len(items)):
        for table, mine in lookups:
            if mine[i] in table:
                rows.append(i)
                gold.append(table[mine[i]])
                break
    return rows, gold


def _record_time(info: dict, started: float) -> None:
    info["seconds"] = round(time.perf_counter() - started, 3)


def code_run(run_dir, cfg, *, frames=None, level: str = "document", select: str = "all", sample: int | None = None,
             topics: bool = False, gold=None, labels_out=None, progress: bool = False, say=lambda _m: None,
             warn=None) -> CodeResult:
    """Code a run's items with the configured language model and write ``llm_codes`` (see the module).

    Parameters
    ----------
    run_dir : path
        A run folder written by ``framing analyze`` (or ``ingest``: then give ``frames``).
    cfg : Config
        ``llm`` (server, model, retries ...), ``embedding`` (the cache folder) and ``seed``.
    frames : list of str, optional
        Catalogs (paths or bundled names); default: the run's.
    level : {"document", "sentence"}
    select : {"all", "sample", "matches"}
    sample : int, optional
        How many items ``select="sample"`` codes.
    topics : bool
        Also name the run's topics.
    gold : path, optional
        Human codes (a label file ``frames train`` reads) to measure agreement against.
    labels_out : path, optional
        Also write the codes as a JSONL label file for ``framing frames train --labels FILE --run RUN``.
    """
    from ..runlog import RunLog

    if level not in ("document", "sentence"):
        raise InputError(f"The '--level' option must be document or sentence. Got {level!r} instead.")
    if select not in SELECTIONS:
        raise InputError(f"The '--select' option must be all, sample or matches. Got {select!r} instead.")
    run_dir = Path(run_dir)
    if labels_out is not None and os.path.lexists(labels_out):  # before any coding: a label file of yours stays
        raise RunStoreError(f"{labels_out} already exists (your own codes?): framing does not replace it. Choose a "
                            "new file for --labels-out, or move that one away.")
    meta = store.read_run_json(run_dir)
    catalog = _catalog(meta, frames)
    client = make_client(cfg.llm, cfg.embedding, cfg.seed)
    client.check()
    tables = store.read_tables(run_dir)
    if "documents" not in tables:
        raise RunStoreError(f"{run_dir} has no documents table; give a folder written by `framing analyze`.")
    items = _items(tables, level, select, sample, cfg.seed, run_dir)
    started = time.perf_counter()
    with RunLog(echo=warn) as log:
        log.stage = "llm"
        say(f"Coding {len(items)} {level}s with {client.model} ({len(catalog.frames)} frames of {catalog.name})")
        langs = [x if isinstance(x, str) else None for x in items["lang"]]
        codes, code_info = code_texts(items["text"].tolist(), catalog, client, level=level, langs=langs,
                                      max_chars=cfg.llm.max_chars, examples_per_frame=cfg.llm.examples_per_frame,
                                      progress=progress)
        if code_info["items"] and code_info["failed"] == code_info["items"]:
            raise LLMError(f"No {level} got a valid answer from {client.model}: {code_info['errors'][:1]}")
        if code_info["failed"]:
            import warnings

            warnings.warn(f"{code_info['failed']} of {len(items)} {level}s got no valid answer from {client.model} "
                          f"after {cfg.llm.max_retries} retries and have no codes (first error: "
                          f"{code_info['errors'][0]}).", LLMWarning, stacklevel=2)
        new = codes_table(items, codes, catalog, client.model, level)
        named = topic_info = None
        if topics:
            if "topics" not in tables:
                raise RunStoreError(f"{run_dir} has no topics table: nothing to name (run framing analyze).")
            named, topic_info = name_topics(tables["topics"], tables["sentences"], client, progress)
        agreement = None
        if gold is not None:
            rows, gold_sets = _gold_sets(gold, catalog, items, level)
            pred = [{c.frame_id for c in codes[i]} if codes[i] is not None else None for i in rows]
            keep = [k for k, p in enumerate(pred) if p is not None]
            if not keep:
                raise InputError(f"None of the coded {level}s is in {gold} (matched by {level} id, 'id' or text).")
            agreement = agreement_table([pred[k] for k in keep], [gold_sets[k] for k in keep],
                                        [f.id for f in catalog.frames])
    out_tables = {}
    old = tables.get(LLM_CODES)
    out_tables[LLM_CODES] = new if old is None else pd.concat([old[old["level"] != level], new], ignore_index=True)
    if named is not None:
        out_tables[LLM_TOPICS] = named
    if agreement is not None:
        out_tables[LLM_AGREEMENT] = agreement.assign(model=client.model, level=level)
    info = {
        "model": client.model, "server": public_url(client.url), "catalog": catalog.name,
        "codebook_sha256": hashlib.sha256(codebook_prompt(catalog, level, None, cfg.llm.examples_per_frame)
                                          .encode("utf-8")).hexdigest(),
        "level": level, "select": select, "sample": sample if select == "sample" else None, "items": len(items),
        "coded": int(sum(c is not None for c in codes)), "temperature": client.temperature, "seed": client.seed,
        "structured": client.structured, "created": store.utc_now(), "stages": {"code": code_info},
    }
    if topic_info is not None:
        info["stages"]["topics"] = topic_info
    if agreement is not None:
        info["agreement"] = {"gold": str(gold), "items": int(agreement["items"].iat[-1]),
                             "macro_f1": _round(agreement["f1"].iat[-1]), "macro_alpha": _round(agreement["alpha"].iat[-1])}
    _record_time(info, started)
    _write(run_dir, meta, tables, out_tables, info, log.records)
    if labels_out is not None:
        write_labels(new, labels_out)
    return CodeResult(new, named, agreement, info)


def _round(x) -> float | None:
    return None if pd.isna(x) else round(float(x), 4)


def _write(run_dir: Path, meta: dict, tables: dict, out_tables: dict, info: dict, records: list) -> None:
    tables = {**tables, **out_tables}
    store.write_tables(run_dir, out_tables)
    store.write_duckdb(run_dir, tables)
    store.claim_entries(meta, store.DUCKDB_FILE)
    for name, table in out_tables.items():
        meta.setdefault("tables", {})[name] = {"rows": len(table), "columns": list(table.columns)}
    runs = [r for r in meta.get("llm", []) if r.get("level") != info["level"]] if isinstance(meta.get("llm"), list) else []
    meta["llm"] = runs + [info]
    meta["warnings"] = list(meta.get("warnings") or []) + list(records)
    store.write_run_json(run_dir, meta)
    if (run_dir / store.REPORT_FILE).exists():
        from ..report.rebuild import rebuild_report

        rebuild_report(run_dir)


def write_labels(codes: pd.DataFrame, path) -> Path:
    """Write ``llm_codes`` as a JSONL label file (one item per line: its id and ``frames``)."""
    path = Path(path)
    lines = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in codes_as_labels(codes).to_dict("records"))
    # a new file: never written through a link at its name (code_run refuses an existing file before coding)
    return store.write_new_file(path, lambda tmp: tmp.write_text(lines, encoding="utf-8"))

"""Reading coded technique spans: a copy of the Propaganda Techniques Corpus, or a user's own spans.

Two layouts are read from a folder:

- ``articles.jsonl`` (``id``, ``text``, optional ``title`` / ``source``) with
  ``spans.tsv`` (``article_id``, ``technique``, ``start``, ``end``): the
  layout of ``../shared/data/ptc-techniques`` and of a user's own coding;
- the PTC release as distributed for SemEval-2020 Task 11:
  ``article<ID>.txt`` files and a ``*.labels`` file of tab-separated
  ``ID  technique  start  end`` rows (no header).

Offsets index the article's text exactly (``text[start:end]``, end
exclusive). Technique names are resolved to catalog ids through the
catalog's ids and ``aliases`` (``Name_Calling,Labeling`` -> ``name-calling``).

Examples
--------
>>> docs, spans = read_coded_spans("tests/data/techniques/coded")          # doctest: +SKIP
>>> spans.columns.tolist()                                                  # doctest: +SKIP
['doc_id', 'technique', 'start', 'end']
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InputError

SPAN_COLUMNS = ["doc_id", "technique", "start", "end"]


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}, line {n}: not valid JSON ({exc}).") from None
            if not isinstance(rec, dict) or "id" not in rec or not isinstance(rec.get("text"), str):
                raise InputError(f"{path}, line {n}: each line needs an 'id' and a 'text' string.")
            rows.append({"doc_id": str(rec["id"]), "title": rec.get("title"), "source": rec.get("source"),
                         "text": rec["text"]})
    return pd.DataFrame(rows, columns=["doc_id", "title", "source", "text"])


def _read_span_rows(path: Path, header: bool) -> pd.DataFrame:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            if not line.strip() or (header and n == 1):
                continue
            if len(parts) != 4:
                raise InputError(f"{path}, line {n}: expected 4 tab-separated fields (article id, technique, start, "
                                 f"end); got {len(parts)}.")
            try:
                start, end = int(parts[2]), int(parts[3])
            except ValueError:
                raise InputError(f"{path}, line {n}: start and end must be whole numbers; got {parts[2]!r}, "
                                 f"{parts[3]!r}.") from None
            rows.append({"doc_id": parts[0].strip(), "technique": parts[1].strip(), "start": start, "end": end})
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)


def _check_offsets(docs: pd.DataFrame, spans: pd.DataFrame, where: Path) -> pd.DataFrame:
    length = docs.set_index("doc_id")["text"].str.len()
    n = spans["doc_id"].map(length)
    unknown = spans[n.isna()]
    if len(unknown):
        raise InputError(f"{where}: {len(unknown)} spans name articles that are not in the articles "
                         f"(e.g. {unknown['doc_id'].iloc[0]!r}); give the articles they were coded on.")
    bad = spans[(spans["start"] < 0) | (spans["end"] <= spans["start"]) | (spans["end"] > n)]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(f"{where}: {len(bad)} spans lie outside their article's text, e.g. article "
                         f"{row['doc_id']} [{row['start']}, {row['end']}); offsets must index the text exactly.")
    return spans.reset_index(drop=True)


def read_coded_spans(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles and their coded technique spans from a folder (see the module docstring).

    Parameters
    ----------
    folder : str or Path

    Returns
    -------
    documents : DataFrame with doc_id, title, source, text
    spans : DataFrame with doc_id, technique (the name as coded), start, end

    Raises
    ------
    InputError
        Naming the file and line, when the folder has neither layout or a span does not fit its article.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder. Give the folder holding articles.jsonl and spans.tsv, or "
                         "the PTC release's article*.txt files with their .labels file.")
    if (folder / "articles.jsonl").is_file() and (folder / "spans.tsv").is_file():
        docs = _read_jsonl(folder / "articles.jsonl")
        spans = _read_span_rows(folder / "spans.tsv", header=True)
        return docs, _check_offsets(docs, spans, folder / "spans.tsv")
    labels = sorted(folder.glob("*.labels")) + sorted(folder.parent.glob("*.labels"))
    texts = sorted(folder.glob("article*.txt"))
    if texts and labels:
        docs = pd.DataFrame({"doc_id": [p.stem.removeprefix("article") for p in texts], "title": None,
                             "source": None, "text": [p.read_text(encoding="utf-8") for p in texts]})
        spans = _read_span_rows(labels[0], header=False)
        return docs, _check_offsets(docs, spans[spans["doc_id"].isin(set(docs["doc_id"]))], labels[0])
    raise InputError(f"{folder} holds neither articles.jsonl with spans.tsv nor article*.txt files with a "
                     ".labels file; see `framing techniques train --help` for the two layouts.")


def split_by_article(doc_ids, test_share: float = 0.2, seed: int = 42) -> tuple[list[str], list[str]]:
    """A seeded split of article ids into (train, held out): never by sentence.

    >>> train, test = split_by_article([str(i) for i in range(10)], 0.3, seed=1)
    >>> len(train), len(test), set(train) & set(test)
    (7, 3, set())
    """
    import numpy as np

    ids = sorted(set(map(str, doc_ids)))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(ids))
    n_test = max(1, int(round(test_share * len(ids))))
    test = sorted(ids[i] for i in order[:n_test])
    return [i for i in ids if i not in set(test)], test

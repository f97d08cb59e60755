"""The Python API for notebooks: ``framing.analyze`` and ``framing.load_run`` return a :class:`Run`.

A :class:`Run` is a run folder seen from Python: its tables as pandas
DataFrames (read from the folder, so a loaded run and a fresh one look the
same), its figures as Plotly objects, its report.

Examples
--------
On the tiny test corpus, with the hashing embedder and PCA so it runs in seconds:

>>> import tempfile, framing
>>> from pathlib import Path
>>> tiny = Path(framing.__file__).parent.parent / "tests" / "data" / "tiny"
>>> fast = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
...             topics__min_cluster_size=3, topics__n_neighbors=5)
>>> out = Path(tempfile.mkdtemp()) / "tiny"
>>> run = framing.analyze(tiny, frames=["policy-frames"], out=out, **fast)
>>> sorted(run.documents.source.unique())
['alpha-news', 'beta-blog', 'gamma-nl']
>>> {"sentence_id", "doc_id", "topic", "text"} <= set(run.sentences.columns)
True
>>> fig = run.figures.frames_by_source()            # a plotly.graph_objects.Figure
>>> type(fig).__name__, "frames_by_source" in run.figures.names()
('Figure', True)
>>> again = framing.load_run(out)
>>> len(again.sentences) == len(run.sentences), again.seed
(True, 42)

A DataFrame takes the same field mapping as the command line's ``--text-field`` ...:

>>> import pandas as pd
>>> df = pd.DataFrame({"body": ["Rockets hit the base again tonight. The troops are there for the oil."] * 3,
...                    "outlet": ["a", "b", "c"], "key": ["1", "2", "3"]})
>>> run = framing.analyze(df, text_field="body", source_field="outlet", id_field="key",
...                       out=out.parent / "df", **fast)
>>> run.documents[["record_id", "source"]].values.tolist()
[['1', 'a'], ['2', 'b'], ['3', 'c']]
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from .config import Config
from .run import Run, load_run

__all__ = ["analyze", "load_run", "Run"]


def analyze(data, config: Config | str | Path | None = None, *, out: str | Path | None = None,
            frames: Sequence[str] | None = None, say: Callable[[str], None] | None = None,
            progress: bool = False, force: bool = False, **overrides) -> Run:
    """Analyze a corpus (paths or a DataFrame of records) and return the written :class:`Run`.

    Parameters
    ----------
    data : str, Path, list of them, or DataFrame
        Folders of text/HTML files or record files (.jsonl/.json/.csv/.parquet), as for
        ``framing analyze``; or a DataFrame with one record per row.
    config : Config, str or Path, optional
        A Config, or a YAML file of overrides (``--config``). None: ``configs/default.yaml`` and
        each input folder's ``framing.yaml``.
    out : str or Path, optional
        The run folder; default ``reports/<corpus name>/`` (``reports/dataframe/`` for a DataFrame).
    frames : list of str, optional
        Catalog paths or built-in names (``policy-frames``), like ``--frames``.
    say : callable, optional
        Receives progress messages (e.g. ``print``); default silent.
    force : bool
        Write into ``out`` even when it is a folder that is not a framing run (``--force``):
        only framing's entries there are replaced, every other file is left alone.
    **overrides
        Config keys: ``seed=1``, ``topics__min_cluster_size=5`` (``__`` for the dot),
        ``topics={"min_cluster_size": 5}``, or the field mapping ``text_field="body"``.

    Returns
    -------
    Run
    """
    from .jobs.inputs import analyze_data

    result = analyze_data(data, config, out=out, frames=frames, say=say, progress=progress, force=force,
                          overrides=overrides)
    return load_run(result.run_dir)

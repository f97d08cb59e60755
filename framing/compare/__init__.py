"""Statistics across groups (sources, roles, months, any document field): pure functions over run tables.

Every cross-group share, count and statistic of a run is computed here, and
nowhere else, into tables whose column names say the denominator
(``share_of_sentences``, ``share_of_documents``). Figures and reports read
these tables.

- :mod:`.counts`: months, and ``topic_prevalence`` (a view of ``compare_trend``: topics per group and month).
- :mod:`.groups`: the group of each document for any grouping column.
- :mod:`.items`: topic and frame counts per document.
- :mod:`framing.stats` (the ground layer, so frames and techniques use it too): bootstrap, cluster-robust tests, Benjamini-Hochberg, JSD, log-odds.
- :mod:`.prevalence`: ``compare_prevalence``.
- :mod:`.voice`: ``compare_voice`` (frames by who is speaking: own words, quotes, reported speech).
- :mod:`.run`: every comparison of a run, and the defaults of ``framing analyze``.
"""

from .counts import PREVALENCE_COLUMNS, UNKNOWN, month_of, topic_prevalence
from .groups import document_groups, group_columns
from .items import ItemCounts, frame_counts, topic_counts
from .prevalence import prevalence_table
from .run import compare_tables, default_comparisons, merge_comparisons

__all__ = [
    "PREVALENCE_COLUMNS", "UNKNOWN", "month_of", "topic_prevalence", "document_groups", "group_columns",
    "ItemCounts", "frame_counts", "topic_counts", "prevalence_table", "compare_tables", "default_comparisons",
    "merge_comparisons",
]

"""The report's themes table: each theme with its topics, linked to their rows; labels are escaped."""

from __future__ import annotations

import re

import pandas as pd

from framing.report import render_report


def test_the_report_lists_the_themes_and_links_their_topics(tables, meta):
    topics = tables["topics"].copy()
    kept = sorted(int(t) for t in topics.topic if int(t) >= 0)
    assert len(kept) >= 2
    theme = {t: (0 if i % 2 == 0 else 1) for i, t in enumerate(kept)}
    topics["theme"] = pd.array([theme.get(int(t)) for t in topics.topic], dtype="Int64")
    topics["theme_label"] = [None if int(t) < 0 else ("<b>even</b>" if theme[int(t)] == 0 else "odd, themes")
                             for t in topics.topic]
    page = render_report({**tables, "topics": topics}, meta, seed=42)
    assert 'id="themes"' in page and 'id="theme-0"' in page and 'id="theme-1"' in page
    row = re.search(r'<tr id="theme-0">(.*?)</tr>', page, flags=re.S).group(1)
    assert "&lt;b&gt;even&lt;/b&gt;" in row and "<b>even" not in row
    assert all(f'href="#topic-{t}"' in row for t in kept[::2])
    assert not any(f'href="#topic-{t}"' in row for t in kept[1::2])
    size = int(topics[topics.topic.isin(kept[::2])]["size"].sum())
    assert f"{size:,}" in row
    # every topic row says its theme
    assert all(re.search(rf'<tr id="topic-{t}">.*?href="#theme-{theme[t]}"', page, flags=re.S) for t in kept)


def test_a_run_without_themes_shows_no_themes_table(tables, meta):
    topics = tables["topics"].copy()
    topics["theme"] = pd.array([None] * len(topics), dtype="Int64")
    topics["theme_label"] = None
    page = render_report({**tables, "topics": topics}, meta, seed=42)
    assert 'id="themes"' not in page and "<h3>All topics</h3>" in page
    older = render_report({**tables, "topics": topics.drop(columns=["theme", "theme_label"])}, meta, seed=42)
    assert 'id="themes"' not in older  # a run of an older framing has no theme columns

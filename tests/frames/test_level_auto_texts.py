"""`--level auto` (the default of evaluate and frames train) takes coded texts of several sentences as documents."""

from __future__ import annotations

import pandas as pd

from framing.frames import evaluate_catalog

from .fake import FakeEmbedder


def test_coded_articles_given_as_text_are_scored_as_documents(tiny_catalog):
    labels = pd.DataFrame({"text": ["It will rain tomorrow. The Americans only want the oil and gas. Nothing else.",
                                    "Schools open again on Monday. Parents were told by letter. Buses run as usual."],
                           "frames": [["us-there-for-oil"], []]})
    assert evaluate_catalog(tiny_catalog, labels, FakeEmbedder()).level == "document"


def test_coded_sentences_given_as_text_stay_sentences(tiny_catalog):
    labels = pd.DataFrame({"text": ["The Americans only want the oil and gas.", "Schools open again on Monday."],
                           "frames": [["us-there-for-oil"], []]})
    assert evaluate_catalog(tiny_catalog, labels, FakeEmbedder()).level == "sentence"

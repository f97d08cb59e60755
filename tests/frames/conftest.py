from pathlib import Path

import pandas as pd
import pytest

from framing.frames import FrameMatcher, load_catalog

from .fake import FakeEmbedder

DATA = Path(__file__).resolve().parent.parent / "data" / "frames"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def tiny_catalog():
    return load_catalog(DATA / "tiny-catalog.yaml")


@pytest.fixture
def embedder():
    return FakeEmbedder()


@pytest.fixture
def sentences() -> pd.DataFrame:
    table = pd.read_csv(DATA / "sentences.csv")
    table["is_fragment"] = table["is_fragment"].astype(bool)
    return table


@pytest.fixture
def fitted(tiny_catalog, embedder):
    return FrameMatcher(tiny_catalog, embedder).fit()


@pytest.fixture
def sentence_frames(fitted, sentences, embedder):
    return fitted.transform(sentences, embedder.encode(sentences["text"].tolist()))

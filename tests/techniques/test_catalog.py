"""The bundled technique catalog and the checks of technique catalog files."""

from __future__ import annotations

import pytest

from framing.errors import CatalogError
from framing.techniques.catalog import (bundled_technique_catalogs, load_technique_catalog,
                                        parse_technique_catalog)

PTC_NAMES = ["Loaded_Language", "Name_Calling,Labeling", "Repetition", "Doubt", "Exaggeration,Minimisation",
             "Appeal_to_fear-prejudice", "Flag-Waving", "Causal_Oversimplification", "Appeal_to_Authority",
             "Slogans", "Black-and-White_Fallacy", "Whataboutism,Straw_Men,Red_Herring",
             "Thought-terminating_Cliches", "Bandwagon,Reductio_ad_hitlerum"]


def test_bundled_catalog_names_every_ptc_class_once():
    cat = load_technique_catalog("propaganda")
    resolved = [cat.resolve_id(n) for n in PTC_NAMES]
    assert None not in resolved
    assert len(set(resolved)) == 14 == len(cat)
    assert [p.stem for p in bundled_technique_catalogs()] == ["propaganda"]


def test_bundled_catalog_has_english_and_dutch_examples_and_span_kinds():
    cat = load_technique_catalog("propaganda")
    for tid in cat.ids:
        t = cat.get(tid)
        assert len(t.examples["en"]) >= 4 and len(t.examples["nl"]) >= 4, tid
    assert cat.span_of("loaded-language") == cat.span_of("name-calling") == "word"
    assert cat.span_of("repetition") == "document"
    assert cat.span_of("flag-waving") == "clause"


def _one(**extra):
    t = {"id": "slogans", "label": "Slogans", "description": "A phrase.", "examples": ["Build the wall!"]}
    t.update(extra)
    return {"techniques": [t]}


def test_unknown_span_kind_names_file_technique_and_field():
    with pytest.raises(CatalogError, match=r"my\.yaml.*technique 'slogans' / field 'span'.*word, clause, document"):
        parse_technique_catalog(_one(span="phrase"), "my.yaml")


def test_frame_catalog_errors_are_worded_for_techniques():
    data = _one()
    del data["techniques"][0]["examples"]
    with pytest.raises(CatalogError, match=r"Technique catalog my\.yaml / technique 'slogans' / field 'examples'"):
        parse_technique_catalog(data, "my.yaml")


def test_a_frame_catalog_is_not_a_technique_catalog(tmp_path):
    with pytest.raises(CatalogError, match="non-empty 'techniques' list"):
        parse_technique_catalog({"frames": [{"id": "x"}]}, "f.yaml")
    with pytest.raises(CatalogError, match="not found.*propaganda"):
        load_technique_catalog(tmp_path / "missing.yaml")

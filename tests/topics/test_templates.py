"""Page templates with a varying part are boilerplate, per source, in English and Dutch (issue 22)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import TopicsConfig, load_config
from framing.topics import TopicModeler
from framing.topics.rules import sentence_rules
from framing.topics.templates import template_mask
from framing.words import stop_words_for

TEMPLATE = {
    "en": "Media playback is unsupported on your device Media caption {}",
    "nl": "Wilt u reageren op dit artikel stuur dan een mail naar {} van de redactie",
}
VARYING = {
    "en": ["Pelosi speaks to reporters", "The wall at night", "Voters queue in Ohio", "A rally in Texas"],
    "nl": ["Jan de Vries", "Sanne Bakker", "Pieter Jansen", "Eva Visser"],
}
OWN = {
    "en": ["The senate passed the budget bill after a long night.", "Floods closed the coastal road again.",
           "The court heard the appeal on Monday morning.", "Farmers blocked the highway with tractors."],
    "nl": ["De senaat stemde na een lange nacht in met de begroting.", "Overstromingen sloten de kustweg opnieuw.",
           "De rechtbank behandelde het hoger beroep op maandag.", "Boeren blokkeerden de snelweg met trekkers."],
}


def pages(lang: str, sources: list[str]):
    """Four documents, each with text of its own and one template line with its own varying part."""
    texts, docs = [], []
    for k in range(4):
        texts += [OWN[lang][k], TEMPLATE[lang].format(VARYING[lang][k])]
        docs += [f"d{k}", f"d{k}"]
    return texts, docs, [sources[k] for k in range(4) for _ in range(2)]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_template_line_with_a_varying_part_is_boilerplate_of_its_source(lang):
    texts, docs, sources = pages(lang, ["bbc"] * 4)
    assert template_mask(texts, docs, sources, 3).tolist() == [False, True] * 4
    # every line differs, so the exact rule alone finds nothing
    rules = sentence_rules(texts, TopicsConfig(boilerplate_templates=False), stop_words_for([lang]), docs, sources)
    assert not rules.repeated.any()
    rules = sentence_rules(texts, TopicsConfig(boilerplate_templates=True), stop_words_for([lang]), docs, sources)
    assert rules.repeated.tolist() == [False, True] * 4 and rules.template.tolist() == [False, True] * 4


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_same_passage_printed_by_different_sources_is_not_a_template(lang):
    texts, docs, sources = pages(lang, ["bbc", "nos", "cnn", "nrc"])
    assert not template_mask(texts, docs, sources, 3).any()   # a reprint: the reuse signal, kept
    texts, docs, sources = pages(lang, ["bbc", "bbc", "cnn", "nrc"])
    assert not template_mask(texts, docs, sources, 3).any()   # two documents of the source: under the bar


def test_a_sentence_sharing_two_of_the_sources_phrases_is_the_writers_own():
    texts, docs = [], []
    for k in range(3):
        texts += [f"Story {k} says the Bush-era tax cuts expire soon.", f"Report {k}: Obama's health care program passed.",
                  f"Own text number {k} of this page."]
        docs += [f"d{k}"] * 3
    # 10 of its 12 words are in the source's repeated phrases, but in two runs of 5: not one passage
    texts.append("The Bush-era tax cuts and Obama's health care program matter.")
    docs.append("d0")
    out = template_mask(texts, docs, ["nyt"] * len(texts), 3)
    assert not out[-1]
    assert out[0] and out[1]                # "says the bush era tax cuts expire soon": mostly the passage


def test_a_sources_copies_of_one_article_do_not_make_templates():
    texts = [TEMPLATE["en"].format("Same caption"), "The same story text of the copied piece."] * 3
    docs = ["a", "a", "b", "b", "c", "c"]
    assert not template_mask(texts, docs, ["wire"] * 6, 3).any()   # no document has text of its own


def test_documents_of_one_sentence_never_make_templates():
    texts = [TEMPLATE["en"].format(v) for v in VARYING["en"]]
    assert not template_mask(texts, ["p1", "p2", "p3", "p4"], ["bbc"] * 4, 3).any()   # four posts
    assert not template_mask(texts, [f"s{i}" for i in range(4)], None, 3).any()      # no document ids


def test_switches():
    texts, docs, sources = pages("en", ["bbc"] * 4)
    assert not template_mask(texts, docs, sources, None).any()
    # off by default: on BASIL it takes name-and-title fragments of the segmenter (notes/topics6.md)
    assert load_config().topics.boilerplate_templates is False and TopicsConfig().boilerplate_templates is False
    assert load_config(overrides=["topics.boilerplate_templates=true"]).topics.boilerplate_templates is True


PLACES = ["Utrecht", "Ohio", "Leeds", "Gent", "Texas", "Lyon", "Bonn", "Porto", "Malmo", "Graz", "Cork", "Turin"]
SUBJECT_WORDS = {
    "en": [["senate", "budget", "vote", "deficit", "bill", "spending", "treasury", "tax"],
           ["flood", "coast", "storm", "rain", "river", "dike", "harbour", "water"],
           ["court", "judge", "appeal", "trial", "verdict", "jury", "lawyer", "ruling"],
           ["farmers", "tractors", "highway", "protest", "nitrogen", "cattle", "fields", "barns"]],
    "nl": [["senaat", "begroting", "stemming", "tekort", "wetsvoorstel", "uitgaven", "schatkist", "belasting"],
           ["overstroming", "kust", "storm", "regen", "rivier", "dijk", "haven", "water"],
           ["rechtbank", "rechter", "beroep", "proces", "vonnis", "jury", "advocaat", "uitspraak"],
           ["boeren", "trekkers", "snelweg", "protest", "stikstof", "vee", "akkers", "schuren"]],
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_fit_keeps_template_lines_out_and_counts_them(lang):
    rng = np.random.default_rng(0)
    texts, docs, blob = [], [], []
    for k in range(12):
        for i in range(4):  # four sentences of the document's own subject, words drawn at random
            texts.append(" ".join(rng.choice(SUBJECT_WORDS[lang][k % 4], size=7)).capitalize() + ".")
            docs.append(f"d{k}")
            blob.append(k % 4)
        texts.append(TEMPLATE[lang].format(f"{VARYING[lang][k % 4]} {PLACES[k]}"))  # each line its own
        docs.append(f"d{k}")
        blob.append(4)
    sources = ["bbc"] * len(texts)
    # own text in four blobs (one per subject), the template lines in a tight blob of their own
    centers = np.eye(16)[[0, 1, 2, 3, 5]] * 10
    emb = np.asarray([centers[b] + rng.normal(scale=0.5, size=16) for b in blob], dtype=np.float32)
    cfg = {"reducer": "pca", "min_cluster_size": 5, "min_main_documents": 0, "min_anchored_share": 0.0,
           "min_keyword_share": 0.0, "boilerplate_templates": True}
    ids = [f"s{i}" for i in range(len(texts))]
    tm = TopicModeler(TopicsConfig(**cfg), seed=1).fit(texts, emb, [lang] * len(texts), ids, docs, sources)
    template = np.array(blob) == 4
    assert tm.boilerplate_[template].all() and not tm.boilerplate_[~template].any()
    assert (tm.labels_[template] == -1).all() and tm.moves_["template_lines"] == 12
    off = TopicModeler(TopicsConfig(**{**cfg, "boilerplate_templates": False}), seed=1).fit(
        texts, emb, [lang] * len(texts), ids, docs, sources)
    assert not off.boilerplate_.any() and off.moves_["template_lines"] == 0
    assert (off.labels_[template] >= 0).all()   # without the rule the page furniture is a topic

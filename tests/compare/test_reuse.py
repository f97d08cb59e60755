"""Reprints and copied passages: the reuse table on a synthetic corpus with planted reprints, and counting them once."""

import numpy as np
import pandas as pd
import pytest

from framing.compare.reuse import find_reuse, reprint_sentences, reuse_sources
from framing.compare.run import compare_tables, counted_tables
from framing.config import CompareConfig

WIRE = ("Officials confirmed that the convoy crossed the border before dawn and reached the base at noon.",
        "The ministry said the new pipeline would carry oil from the eastern fields to the coast by next spring.")
ARTICLE = " ".join([
    "Farmers in the valley gathered on Sunday to discuss the drought that has ruined two harvests in a row.",
    "Several families said they would leave for the city if the rains failed again this winter season.",
    "The regional council promised emergency water deliveries but gave no date for the first trucks to arrive.",
    "Experts warned that the underground reservoirs are falling faster than at any time in the last century.",
    "A local teacher said the children now walk two hours every morning to fetch water before school starts.",
    "Aid groups asked the government to release the funds it set aside for irrigation repairs last year.",
])


def _corpus():
    """Five outlets: `b` reprints `a`'s wire sentence two days later, `c` the same with a changed word,
    `d` reprints `a`'s whole article a day later, `e` writes its own words only."""
    own = {"a": "Our reporters spent the week in the capital talking to shopkeepers about rising prices.",
           "b": "The mayor opened a new library in the northern district on a rainy Tuesday afternoon.",
           "c": "Readers wrote to us about the closure of the old cinema and the noise of the new road.",
           "d": "A football club from the south won the regional cup after a long and nervous final.",
           "e": "The weather service expects snow in the mountains and heavy winds along the coast."}
    docs = [("a1", "a", "2020-03-01", f"{WIRE[0]} {own['a']}"),
            ("a2", "a", "2020-03-02", ARTICLE),
            ("b1", "b", "2020-03-03", f"{own['b']} {WIRE[0]}"),
            ("c1", "c", "2020-03-04", f"{own['c']} {WIRE[0].replace('noon', 'midday')}"),
            ("d1", "d", "2020-03-03", ARTICLE),
            ("e1", "e", "2020-02-28", f"{own['e']} {WIRE[1]}")]
    documents = pd.DataFrame(docs, columns=["doc_id", "source", "date", "text"])
    rows = []
    for doc_id, _source, _date, text in docs:
        for k, sent in enumerate(s.strip() + ("" if s.strip().endswith(".") else ".")
                                 for s in text.split(". ") if s.strip()):
            rows.append({"sentence_id": f"{doc_id}-{k}", "doc_id": doc_id, "text": sent})
    return documents, pd.DataFrame(rows)


def test_planted_reprints_are_found_with_who_was_first():
    documents, sentences = _corpus()
    reuse = find_reuse(documents, sentences, document_min_words=20)
    wire = reuse[(reuse.kind == "passage") & reuse.text.str.contains("convoy")]
    assert sorted(wire.doc_id) == ["a1", "b1", "c1"]  # c1 changed one word: a near duplicate
    assert wire.set_index("doc_id").is_first.to_dict() == {"a1": True, "b1": False, "c1": False}
    assert set(wire.first_source) == {"a"} and set(wire.first_date) == {"2020-03-01"}
    assert wire.similarity[wire.doc_id == "c1"].iloc[0] < 1.0 <= wire.similarity[wire.doc_id == "b1"].iloc[0]
    whole = reuse[reuse.kind == "document"]
    assert whole.set_index("doc_id").is_first.to_dict() == {"a2": True, "d1": False}
    assert not reuse.text.str.contains("eastern fields").any()  # printed once only: no reuse
    assert not reuse.text.str.contains("library|cinema|snow", regex=True).any()  # each outlet's own words
    net = reuse_sources(reuse)
    assert net.set_index("source").loc[["b", "c", "d"], "first_source"].eq("a").all()
    assert int(net.set_index("source").loc["d", "documents"]) == 1


def test_reuse_is_deterministic_and_identical_only_at_threshold_one():
    documents, sentences = _corpus()
    first = find_reuse(documents, sentences, document_min_words=20)
    assert first.equals(find_reuse(documents, sentences, document_min_words=20))
    exact = find_reuse(documents, sentences, threshold=1.0, document_min_words=20)
    wire = exact[(exact.kind == "passage") & exact.text.str.contains("convoy")]
    assert sorted(wire.doc_id) == ["a1", "b1"]


def test_undated_copies_come_after_dated_ones():
    documents, sentences = _corpus()
    documents.loc[documents.doc_id == "a1", "date"] = None
    reuse = find_reuse(documents, sentences, document_min_words=20)
    wire = reuse[(reuse.kind == "passage") & reuse.text.str.contains("convoy")]
    assert wire[wire.is_first].doc_id.tolist() == ["b1"]


def test_reprints_count_once_in_prevalence_unless_raw():
    documents, sentences = _corpus()
    sentences = sentences.assign(topic=0, is_fragment=False, voice="own", speaker="")
    wire_ids = set(sentences.sentence_id[sentences.text.str.contains("convoy")])
    sf = pd.DataFrame({"sentence_id": sentences.sentence_id, "frame_id": "convoy",
                       "matched": sentences.sentence_id.isin(wire_ids), "score": 0.5})
    reuse = find_reuse(documents, sentences, document_min_words=20)
    tables = {"documents": documents, "sentences": sentences, "sentence_frames": sf, "reuse": reuse,
              "frames": pd.DataFrame({"frame_id": ["convoy"], "label": ["Convoy"]})}
    copies = reprint_sentences(reuse, sentences)
    assert set(sentences.sentence_id[copies]) >= {"b1-1", "c1-1"} and not copies[sentences.doc_id == "a2"].any()
    assert copies[sentences.doc_id == "d1"].all()  # the whole reprinted article
    once = compare_tables(tables, "source", CompareConfig(bootstrap=100), seed=1)["compare_prevalence"]
    raw = compare_tables(tables, "source", CompareConfig(bootstrap=100, reprints="raw"), seed=1)["compare_prevalence"]
    frames_once = once[once.kind == "frame"].set_index("group").sentences
    frames_raw = raw[raw.kind == "frame"].set_index("group").sentences
    assert frames_raw.loc[["a", "b", "c"]].tolist() == [1, 1, 1]
    assert frames_once.loc["a"] == 1 and frames_once.reindex(["b", "c"]).fillna(0).sum() == 0
    assert counted_tables(tables, CompareConfig(reprints="raw")) is tables


@pytest.mark.parametrize("n", [0, 1])
def test_small_corpora_have_an_empty_reuse_table(n):
    documents, sentences = _corpus()
    documents, sentences = documents.head(n), sentences[sentences.doc_id.isin(documents.head(n).doc_id)]
    reuse = find_reuse(documents, sentences)
    assert reuse.empty and list(reuse_sources(reuse).columns) == ["first_source", "source", "passages", "documents"]
    assert not reprint_sentences(reuse, sentences).any()
    assert np.array_equal(reprint_sentences(None, sentences).to_numpy(), np.zeros(len(sentences), dtype=bool))


def test_analyze_writes_the_reuse_tables_and_the_report_section(tmp_path):
    """The path a user takes: records with a planted reprint, analyzed; the tables and the page show it."""
    import framing

    documents, _ = _corpus()
    records = documents.rename(columns={"doc_id": "id"})
    records.loc[records.id == "b1", "text"] += ' <script>alert("x")</script> The end of this report is here now.'
    fast = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
                topics__min_cluster_size=2, topics__n_neighbors=3, topics__min_main_documents=0,
                topics__min_anchored_share=0.0, compare__bootstrap=100)
    run = framing.analyze(records, out=tmp_path / "run", **fast)
    loaded = framing.load_run(run.run_dir)
    reuse = loaded.tables["reuse"]
    assert {"passage", "document"} <= set(reuse.kind)
    assert "b" in set(loaded.tables["reuse_sources"].source)
    html = (run.run_dir / "report.html").read_text(encoding="utf-8")
    assert "Reprints and copied passages" in html and 'href="#reuse"' in html
    assert "<script>alert" not in html

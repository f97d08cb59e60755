"""Hostile and unlucky inputs (issue 19, case 9): each is read, skipped with its reason, or refused with an error
naming the file and line; never a traceback, never garbage sentences, never a file outside the corpus."""

import json
import os
import random
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.config import CorpusConfig, load_config
from framing.corpus.readers import read_inputs
from framing.errors import InputError, InputWarning

TINY = Path(__file__).resolve().parent / "data" / "tiny"
DEEP = 100_000


def _read(paths, **cfg):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_inputs(paths, CorpusConfig(**cfg))
    return result, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


# 1. JSON nested 100,000 deep


def test_jsonl_record_nested_100k_deep_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "The troops left the base today."}\n'
                    + '{"text": ' + "[" * DEEP + "]" * DEEP + "}\n", encoding="utf-8")
    result, said = _read([path])
    assert [p.text for p in result.pages] == ["The troops left the base today."]
    [skip] = result.skipped
    assert skip.item == f"{path.as_posix()} line 2" and "nested too deeply" in skip.reason
    assert any("line 2" in s and "nested too deeply" in s for s in said)


def test_jsonl_with_only_a_deep_record_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": ' + "{\"a\": " * DEEP + "1" + "}" * DEEP + "}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.jsonl: no line is a JSON object \(line 1: nested too deeply"):
        read_inputs([path], CorpusConfig())


def test_json_file_nested_100k_deep_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('[\n{"text": "Brackets [[[ in a string do not count."},\n' + "[" * DEEP + "]" * DEEP + "\n]",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.json is nested too deeply to read: more than 500 levels .* "
                                         r"from line 3 on .*flatten that record or remove it"):
        read_inputs([path], CorpusConfig())


def test_deep_values_in_a_manifest_are_an_error_naming_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The troops left the base today.", encoding="utf-8")
    (corpus / "manifest.jsonl").write_text('{"file": "a.txt", "source": ' + "[" * DEEP + "]" * DEEP + "}\n",
                                           encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest\.jsonl line 1 is nested too deeply"):
        read_inputs([corpus], CorpusConfig())
    (corpus / "manifest.jsonl").unlink()
    (corpus / "manifest.yaml").write_text("- file: a.txt\n  source: " + "[" * DEEP + "]" * DEEP + "\n",
                                          encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest\.yaml is nested too deeply for the YAML reader \(line 2\)"):
        read_inputs([corpus], CorpusConfig())


# 2. Symbolic links in a corpus folder


@pytest.fixture()
def linked_corpus(tmp_path):
    outside = tmp_path / "home"
    (outside / "private").mkdir(parents=True)
    (outside / "secret.txt").write_text("The secret diary of the researcher holds private notes.", encoding="utf-8")
    (outside / "private" / "notes.txt").write_text("Private notes about the interviews stay private.",
                                                   encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "news").mkdir(parents=True)
    (corpus / "news" / "story.txt").write_text("The troops left the base after the rockets hit.", encoding="utf-8")
    os.symlink(outside / "secret.txt", corpus / "news" / "diary.txt")
    os.symlink(outside / "private", corpus / "more")
    os.symlink(outside / "secret.txt", corpus / "manifest.csv")
    return corpus, outside


def test_symlinks_inside_a_corpus_folder_are_skipped_not_followed(linked_corpus):
    corpus, _ = linked_corpus
    result, said = _read([corpus])
    assert [p.file for p in result.pages] == [(corpus / "news" / "story.txt").as_posix()]
    assert not any("secret" in p.text or "Private" in p.text for p in result.pages)
    reasons = {s.item: s.reason for s in result.skipped}
    assert reasons[(corpus / "news" / "diary.txt").as_posix()] == \
        "symbolic link: not followed; give the target's path to read it"
    assert reasons[(corpus / "more").as_posix()] == \
        "symbolic link to a folder: not followed; give the target's path to read it"
    assert reasons[(corpus / "manifest.csv").as_posix()] == \
        "symbolic link: not followed; give the target's path to read it"
    assert not any("secret" in i.path for i in result.inputs)
    assert any("3 symbolic link(s) not followed" in s for s in said)


def test_a_link_named_on_the_command_line_is_read(linked_corpus):
    corpus, _ = linked_corpus
    result, _ = _read([corpus / "news" / "diary.txt", corpus / "more"])
    assert sorted(p.text for p in result.pages) == ["Private notes about the interviews stay private.",
                                                    "The secret diary of the researcher holds private notes."]


# 3. NUL characters in record text


def test_nul_in_csv_text_is_removed_with_a_warning_naming_file_and_line(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_bytes(b"text,source\n\"The troops\x00 left the base.\",a\nThe rockets hit the oil fields.,b\n")
    result, said = _read([path])
    assert [p.text for p in result.pages] == ["The troops left the base.", "The rockets hit the oil fields."]
    assert not any("\x00" in p.text for p in result.pages)
    assert any("posts.csv" in s and "row 1 (line 2)" in s and "NUL" in s for s in said)
    # Without its NULs the text is not the field as given: no offsets are promised into it.
    assert [p.text_is_input for p in result.pages] == [False, True]


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".parquet"])
def test_nul_in_other_record_formats_is_removed_with_a_warning(tmp_path, suffix):
    records = [{"text": "The troops\x00 left the base.", "source": "a\x00b"}, {"text": "Rockets hit.", "source": "c"}]
    path = tmp_path / f"posts{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(records), encoding="utf-8")
    else:
        pd.DataFrame(records).to_parquet(path)
    result, said = _read([path])
    assert [p.text for p in result.pages] == ["The troops left the base.", "Rockets hit."]
    assert result.pages[0].meta["source"] == "ab"
    label = {".jsonl": "line 1", ".json": "record 1", ".parquet": "row 1"}[suffix]
    assert any(f"posts{suffix}: 1 record(s) held NUL characters" in s and label in s for s in said)


def test_nul_in_a_manifest_is_removed_with_a_warning(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The troops left the base today.", encoding="utf-8")
    (corpus / "manifest.csv").write_bytes(b"file,source\na.txt,Daily\x00 News\n")
    result, said = _read([corpus])
    assert result.pages[0].meta["source"] == "Daily News"
    assert any("manifest.csv: NUL characters on line(s) 2 were removed" in s for s in said)


# 4. Binary files without NUL bytes


def _random_bytes(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice(range(1, 256)) for _ in range(n))


def test_a_binary_txt_without_nul_bytes_is_skipped_with_its_reason(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text("The troops left the base after the rockets hit.", encoding="utf-8")
    (corpus / "archive.txt").write_bytes(_random_bytes(20_000))
    result, said = _read([corpus])
    assert [p.file for p in result.pages] == [(corpus / "story.txt").as_posix()]
    [skip] = result.skipped
    assert skip.item == (corpus / "archive.txt").as_posix()
    assert skip.reason.startswith("not text: ") and "control or undecodable characters" in skip.reason
    assert any("archive.txt is not text" in s for s in said)


def test_a_binary_record_text_is_skipped_and_real_text_kept(tmp_path):
    garbage = _random_bytes(400).decode("latin-1")
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({"text": garbage}) + "\n" + json.dumps({"text": "Déjà vu: the troops left.\f"}) + "\n",
                    encoding="utf-8")
    result, _ = _read([path])
    assert [p.text for p in result.pages] == ["Déjà vu: the troops left.\f"]
    assert result.skipped[0].item.endswith("line 1") and "is not text" in result.skipped[0].reason


def test_text_in_the_wrong_legacy_encoding_is_warned_about(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes("Президент заявил сегодня, что войска покинули базу после ракетного удара.".encode("cp1251"))
    result, said = _read([path])
    assert len(result.pages) == 1  # kept: it may be right, but the user is told
    assert any("ru.txt was decoded as" in s and "corpus.encodings" in s for s in said)
    result, said = _read([path], encodings=["utf-8", "cp1251"])
    assert result.pages[0].text.startswith("Президент") and not any("garbled" in s for s in said)


def test_ordinary_corpora_are_not_called_binary(tmp_path):
    result, said = _read([TINY])
    assert len(result.pages) == 3 and not result.skipped and not said


# 6. framing rerun keeps documents.file as the original recorded it


def test_rerun_from_elsewhere_records_the_same_documents_table(tmp_path, monkeypatch):
    from framing.jobs.ingest import run_ingest
    from framing.jobs.rerun import rerun
    from framing.store import read_tables

    work = tmp_path / "project"
    shutil.copytree(TINY, work / "corpus")
    monkeypatch.chdir(work)
    cfg = load_config(overrides=["embedding.cache=false"])
    first = run_ingest(["corpus"], cfg, out=tmp_path / "run")
    assert set(first.tables["documents"].file) == {"corpus/alpha.txt", "corpus/beta.txt", "corpus/gamma.txt"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = rerun(tmp_path / "run", tmp_path / "again")
    before, after = read_tables(tmp_path / "run")["documents"], read_tables(tmp_path / "again")["documents"]
    pd.testing.assert_frame_equal(before, after)
    info = again.meta["rerun"]
    assert info["tables"]["documents"] == "identical" and info["tables"]["sentences"] == "identical"
    assert info["input_changes"] == []
    assert [i["path"] for i in again.meta["inputs"]] == [i["path"] for i in first.meta["inputs"]]
    assert again.meta["paths"] == ["corpus"] and again.meta["cwd"] == str(work)
    assert not (elsewhere / "corpus").exists()


# 5. Copies of a sentence are clustered once


def _topic_input(texts, files=()):
    from framing.embed import get_embedder

    cfg = load_config(list(files), overrides=["embedding.model=hashing", "topics.reducer=pca", "topics.min_cluster_size=5",
                                              "topics.n_components=10"])
    vectors = get_embedder("hashing", cfg.embedding).encode(texts)
    return cfg, np.asarray(vectors, dtype=np.float32)


def _fit(cfg, texts, vectors, docs, langs=None, sources=None):
    from framing.topics import TopicModeler

    return TopicModeler(cfg.topics, seed=cfg.seed).fit(texts, vectors, langs or ["en"] * len(texts),
                                                       [f"s{i}" for i in range(len(texts))], doc_ids=docs,
                                                       sources=sources or ["one"] * len(texts))


def test_copies_of_a_sentence_are_clustered_once_and_share_its_topic(monkeypatch):
    from framing.topics.lean_import import import_bertopic

    subjects = ["rocket attack on the military base", "vaccine trial results for the new dose",
                "election ballots counted in the swing state"]
    words = "today officials said reports confirm analysts expect residents describe".split()
    distinct = [f"The {subjects[i % 3]} {words[i % len(words)]} number {i} {words[(i * 7) % len(words)]}."
                for i in range(90)]
    copy = distinct[0]
    texts = distinct + [copy] * 400
    docs = [f"d{i % 30}" for i in range(len(distinct))] + [f"d{i % 30}" for i in range(400)]
    cfg, vectors = _topic_input(texts)
    BERTopic = import_bertopic().BERTopic
    seen = []
    fit_transform = BERTopic.fit_transform

    def spy(self, documents, *args, **kwargs):
        seen.append(len(documents))
        return fit_transform(self, documents, *args, **kwargs)

    monkeypatch.setattr(BERTopic, "fit_transform", spy)
    model = _fit(cfg, texts, vectors, docs)
    assert seen == [len(distinct)]  # not 490 points
    copies = model.labels_[[0, *range(len(distinct), len(texts))]]
    assert len(set(copies.tolist())) == 1 and copies[0] >= 0
    assert len(set(model.probs_[[0, *range(len(distinct), len(texts))]].tolist())) == 1
    assert len(np.unique(model.coords_[[0, *range(len(distinct), len(texts))]], axis=0)) == 1
    size = model.topics_.set_index("topic").loc[int(copies[0]), "size"]
    assert size >= 401  # every copy counts in its topic's size


def test_a_corpus_without_copies_gets_the_same_topics_as_when_every_row_was_clustered(monkeypatch):
    import framing.topics.model as topic_model
    from framing.segment.step import ingest

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    cfg = load_config([seeds / "framing.yaml"], overrides=["embedding.cache=false"])
    sentences = ingest([seeds], cfg).sentences
    sentences = sentences[~sentences.is_fragment & (sentences.n_words >= 3)].reset_index(drop=True)
    assert not sentences.text.duplicated().any()
    texts = sentences.text.tolist()
    cfg, vectors = _topic_input(texts, [seeds / "framing.yaml"])
    args = (sentences.doc_id.tolist(), sentences.lang.tolist(), sentences.source.tolist())
    now = _fit(cfg, texts, vectors, *args)
    monkeypatch.setattr(topic_model, "distinct_rows", lambda t, e: (np.arange(len(t)), np.arange(len(t))))
    every_row = _fit(cfg, texts, vectors, *args)
    assert len(now.topics_) >= 5 and now.unanchored_  # several topics, and the document rules had work
    pd.testing.assert_frame_equal(now.topics_, every_row.topics_)
    np.testing.assert_array_equal(now.labels_, every_row.labels_)
    np.testing.assert_array_equal(now.coords_, every_row.coords_)


def test_the_same_text_with_another_embedding_is_a_point_of_its_own():
    from framing.topics.model import distinct_rows

    emb = np.array([[1, 0], [0, 1], [1, 0], [0, 2], [0, 1]], dtype=np.float32)
    first, inverse = distinct_rows(["a", "b", "a", "b", "b"], emb)
    assert first.tolist() == [0, 1, 3] and inverse.tolist() == [0, 1, 0, 2, 1]


def test_a_corpus_framing_yaml_that_is_a_link_is_not_read(tmp_path):
    from framing.errors import InputWarning
    from framing.jobs.common import corpus_config_files

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "elsewhere.yaml").write_text("seed: 7\n", encoding="utf-8")
    (corpus / "framing.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.warns(InputWarning, match="symbolic link: not followed"):
        assert corpus_config_files([corpus]) == []

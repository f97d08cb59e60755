"""The command line, as a user types it (typer's CliRunner)."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app

TINY = Path(__file__).parent / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false",
        "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3",
        "--set", "topics.n_neighbors=5"]

runner = CliRunner()


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("ingest", "analyze", "frames", "evaluate", "config"):
        assert name in result.output


def test_ingest_writes_tables_and_run_json(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(out)])
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    sents = pd.read_parquet(out / "tables" / "sentences.parquet")
    assert set(docs.source) == {"alpha-news", "beta-blog", "gamma-nl"}
    # beta.txt has three comments, one a reply
    comments = docs[docs.role == "comment"]
    assert len(comments) == 3
    assert comments.depth.max() == 2  # top-level comments are depth 1, replies 2
    meta = json.loads((out / "run.json").read_text())
    assert meta["counts"]["documents"] == len(docs)
    assert {i["path"].split("/")[-1] for i in meta["inputs"]} >= {"alpha.txt", "beta.txt", "gamma.txt"}
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])
    assert meta["config"]["seed"] == 42
    merged = sents.merge(docs[["doc_id", "text"]], on="doc_id", suffixes=("", "_doc"))
    assert all(d[s:e] == t for d, s, e, t in zip(merged.text_doc, merged.start, merged.end, merged.text))
    assert set(sents[sents.source == "gamma-nl"].lang) == {"nl"}


def test_ingest_ids_stable_across_runs(tmp_path):
    for name in ("a", "b"):
        assert runner.invoke(app, ["ingest", str(TINY), "--out", str(tmp_path / name)]).exit_code == 0
    a = pd.read_parquet(tmp_path / "a" / "tables" / "sentences.parquet")
    b = pd.read_parquet(tmp_path / "b" / "tables" / "sentences.parquet")
    assert a.sentence_id.tolist() == b.sentence_id.tolist()
    assert a.doc_id.tolist() == b.doc_id.tolist()


def test_missing_path_is_a_sentence_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_bad_set_override_exits_2_with_dotted_path(tmp_path):
    result = runner.invoke(app, ["ingest", str(TINY), "--set", "topics.min_clustr_size=3"])
    assert result.exit_code == 2
    assert "topics.min_clustr_size" in result.output


def test_field_flags_map_jsonl_fields(tmp_path):
    data = tmp_path / "c.jsonl"
    rows = [{"body": f"Sentence number {i} about oil fields.", "outlet": s, "uid": f"r{i}"}
            for i, s in enumerate(["x", "y", "z"])]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "run"
    result = runner.invoke(app, ["ingest", str(data), "--text-field", "body", "--source-field", "outlet",
                                 "--id-field", "uid", "--out", str(out)])
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    assert sorted(docs.source) == ["x", "y", "z"]
    bad = runner.invoke(app, ["ingest", str(data), "--text-field", "content", "--out", str(out)])
    assert bad.exit_code == 2
    assert "content" in bad.output and "body" in bad.output


def test_analyze_tiny_with_frames(tmp_path):
    out = tmp_path / "run"
    catalog = Path(__file__).parent / "data" / "tiny_frames.yaml"
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(catalog), *FAST])
    assert result.exit_code == 0, result.output
    for name in ("documents", "sentences", "topics", "compare_trend", "sentence_frames", "frames",
                 "topic_frames"):
        assert (out / "tables" / f"{name}.parquet").exists(), name
    assert (out / "framing.duckdb").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    # beta.txt's last comment carries a script payload: it must reach the report escaped
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;" in html
    meta = json.loads((out / "run.json").read_text())
    assert meta["embedding"]["model"] == "hashing"
    sents = pd.read_parquet(out / "tables" / "sentences.parquet")
    assert {"topic", "topic_prob", "map_x", "map_y"} <= set(sents.columns)
    assert (sents.topic >= 0).sum() > 0
    sf = pd.read_parquet(out / "tables" / "sentence_frames.parquet")
    # every match traces back to a sentence with its document, source and offsets
    traced = sf[sf.matched].merge(sents, on="sentence_id")
    assert len(traced) == int(sf.matched.sum()) > 0
    assert traced[["doc_id", "source", "start", "end"]].notna().all().all()


def test_analyze_same_seed_same_results(tmp_path):
    # The real UMAP: with PCA every seed gives the same map, so the test could not fail.
    outs = []
    for name, seed in (("a", 42), ("b", 42), ("c", 43)):
        out = tmp_path / name
        args = ["analyze", str(TINY), "--out", str(out), *FAST, "--set", "topics.reducer=umap", "--set", f"seed={seed}"]
        assert runner.invoke(app, args).exit_code == 0
        outs.append(pd.read_parquet(out / "tables" / "sentences.parquet"))
    pd.testing.assert_frame_equal(outs[0], outs[1], check_exact=True)
    assert outs[0].map_x.notna().any()
    assert not outs[0].map_x.equals(outs[2].map_x), "the map must depend on the seed"


def test_config_command_shows_resolved_values():
    result = runner.invoke(app, ["config", "--set", "seed=5"])
    assert result.exit_code == 0
    assert "seed: 5" in result.output


def test_overwrite_false_refuses_to_replace_a_run(tmp_path):
    out = tmp_path / "run"
    assert runner.invoke(app, ["ingest", str(TINY), "--out", str(out)]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(TINY), "--out", str(out), "--set", "output.overwrite=false"])
    assert again.exit_code == 2
    assert "already holds a run" in again.output


def test_rerun_into_the_same_folder_leaves_nothing_of_the_earlier_run(tmp_path):
    out = tmp_path / "run"
    catalog = Path(__file__).parent / "data" / "tiny_frames.yaml"
    assert runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(catalog), *FAST]).exit_code == 0
    assert (out / "tables" / "sentence_frames.parquet").exists()
    assert runner.invoke(app, ["ingest", str(TINY), "--out", str(out)]).exit_code == 0
    assert sorted(p.stem for p in (out / "tables").glob("*.parquet")) == ["documents", "sentences"]
    assert not (out / "report.html").exists() and not (out / "framing.duckdb").exists()


def test_ids_do_not_depend_on_where_the_corpus_lives(tmp_path):
    ids = []
    for parent in ("one", "two/deeper"):
        corpus = tmp_path / parent / "tiny"
        shutil.copytree(TINY, corpus)
        out = tmp_path / f"out-{len(ids)}"
        assert runner.invoke(app, ["ingest", str(corpus), "--out", str(out)]).exit_code == 0
        ids.append(pd.read_parquet(out / "tables" / "sentences.parquet")[["doc_id", "sentence_id"]])
    pd.testing.assert_frame_equal(ids[0], ids[1])


def test_record_comments_link_to_their_parent_document(tmp_path):
    data = tmp_path / "thread.jsonl"
    rows = [{"id": "p1", "text": "The base was hit by rockets again today.", "role": "article"},
            {"id": "c1", "text": "They will leave soon, mark my words.", "role": "Comment", "parent": "p1"},
            {"id": "c2", "text": "No they will not leave.", "role": "comment", "parent": "c1"},
            {"id": "c3", "text": "Bad role value here.", "role": "tweet"}]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "run"
    result = runner.invoke(app, ["ingest", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "tables" / "documents.parquet").set_index("record_id")
    assert docs.loc["c1", "parent_id"] == docs.loc["p1", "doc_id"]
    assert docs.loc["c2", "parent_id"] == docs.loc["c1", "doc_id"]
    assert docs.loc[["p1", "c1", "c2"], "depth"].tolist() == [0, 1, 2]
    assert docs.loc["c1", "role"] == "comment"
    # the record with an unknown role is not lost: it is listed as skipped with the reason
    skipped = json.loads((out / "run.json").read_text())["skipped"]
    assert any("line 4" in s["item"] and "'tweet'" in s["reason"] for s in skipped)


def test_set_values_keep_colons_and_hashes_as_text(tmp_path):
    result = runner.invoke(app, ["config", "--set", "report.title=Syria: the war",
                                 "--set", "corpus.fields.text=#body", "--set", "corpus.default_source=2021"])
    assert result.exit_code == 0, result.output
    assert "title: 'Syria: the war'" in result.output
    assert "text: '#body'" in result.output
    assert "default_source: '2021'" in result.output


def test_config_error_names_the_file_that_caused_it(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(TINY, corpus)
    (corpus / "framing.yaml").write_text("topics:\n  min_clustr_size: 3\n", encoding="utf-8")
    ok_override = tmp_path / "ok.yaml"
    ok_override.write_text("seed: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(corpus), "--config", str(ok_override)])
    assert result.exit_code == 2
    assert "framing.yaml" in result.output and "min_clustr_size" in result.output


def test_empty_corpus_is_an_error_not_an_empty_report(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["analyze", str(tmp_path / "corpus"), "--out", str(tmp_path / "o"), *FAST])
    assert result.exit_code == 2
    assert "No documents were read" in result.output and "scan.pdf" in result.output


def test_binary_file_is_skipped_with_its_reason(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    (corpus / "blob.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "run"
    assert runner.invoke(app, ["ingest", str(corpus), "--out", str(out)]).exit_code == 0
    skipped = json.loads((out / "run.json").read_text())["skipped"]
    assert any(s["item"].endswith("blob.txt") and "binary" in s["reason"] for s in skipped)
    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    assert not docs.file.str.endswith("blob.txt").any()


def test_out_of_range_seed_is_a_config_error():
    result = runner.invoke(app, ["config", "--set", "seed=-1"])
    assert result.exit_code == 2 and "'seed'" in result.output


def test_frames_flag_is_recorded_in_the_run_config(tmp_path):
    out = tmp_path / "run"
    catalog = str(Path(__file__).parent / "data" / "tiny_frames.yaml")
    assert runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", catalog, *FAST]).exit_code == 0
    meta = json.loads((out / "run.json").read_text())
    assert meta["config"]["frames"]["catalogs"] == [catalog]
    # a run without candidates says so and writes no invalid catalog
    stub = tmp_path / "stub.yaml"
    result = runner.invoke(app, ["frames", "suggest", str(out), "--min-sources", "99", "--out", str(stub)])
    assert result.exit_code == 0 and "No candidate frames" in result.output
    assert not stub.exists()

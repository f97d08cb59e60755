"""Run folders: tables round-trip through parquet and duckdb; run.json."""

import json

import duckdb
import pandas as pd
import pytest

from framing import store
from framing.errors import RunStoreError


@pytest.fixture
def tables():
    return {
        "documents": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x <script>", "y"]}),
        "topics": pd.DataFrame({"topic": [0, 1], "keywords": [["oil", "fields"], ["rockets"]]}),
    }


def test_tables_round_trip(tmp_path, tables):
    store.write_tables(tmp_path, tables)
    back = store.read_tables(tmp_path)
    assert set(back) == {"documents", "topics"}
    pd.testing.assert_frame_equal(back["documents"], tables["documents"])
    assert list(back["topics"].keywords.iloc[0]) == ["oil", "fields"]
    assert not list((tmp_path / "tables").glob(".*tmp")), "no temporary files left behind"


def test_duckdb_holds_every_table(tmp_path, tables):
    path = store.write_duckdb(tmp_path, tables)
    con = duckdb.connect(str(path), read_only=True)
    names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert names == {"documents", "topics"}
    assert con.execute("select count(*) from documents").fetchone()[0] == 2
    con.close()
    # writing again replaces, not appends
    store.write_duckdb(tmp_path, tables)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 2
    con.close()


def test_read_named_tables_and_errors(tmp_path, tables):
    with pytest.raises(RunStoreError, match="is not a run folder"):
        store.read_tables(tmp_path)
    store.write_tables(tmp_path, tables)
    assert list(store.read_tables(tmp_path, ["topics"])) == ["topics"]
    with pytest.raises(RunStoreError, match="has no table.*frames.*it has: documents, topics"):
        store.read_tables(tmp_path, ["frames"])


def test_run_json_round_trip_and_errors(tmp_path):
    with pytest.raises(RunStoreError, match="has no run.json"):
        store.read_run_json(tmp_path)
    store.write_run_json(tmp_path, {"seed": 1, "text": "Ongelofelijk: de VS"})
    assert store.read_run_json(tmp_path) == {"seed": 1, "text": "Ongelofelijk: de VS"}
    (tmp_path / "run.json").write_text("{", encoding="utf-8")
    with pytest.raises(RunStoreError, match="not valid JSON"):
        store.read_run_json(tmp_path)


def test_package_versions_report_what_is_installed():
    from importlib import metadata

    versions = store.package_versions()
    assert versions["python"].count(".") == 2
    assert versions["numpy"] == metadata.version("numpy") and versions["framing"] == metadata.version("framing")
    assert all(isinstance(v, str) and v for v in versions.values())


def _run_json(folder, meta):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "tables").mkdir(exist_ok=True)
    return folder


def test_what_counts_as_a_framing_run(tmp_path):
    from framing.runfolder import target as run_target

    marked = _run_json(tmp_path / "marked", {"framing_run": {"schema_version": 1, "entries": ["run.json", "../x"]}})
    assert run_target.owned_entries(marked) == {"run.json"}  # names outside a run's entries are ignored
    legacy = _run_json(tmp_path / "legacy", {"command": "framing analyze c", "versions": {"framing": "0.4.0"}})
    assert run_target.owned_entries(legacy) == {"run.json", "tables"}  # written before the marker existed
    assert run_target.owned_entries(_run_json(tmp_path / "other", {"command": "make", "versions": {}})) is None
    assert run_target.owned_entries(_run_json(tmp_path / "list", [1, 2])) is None
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "run.json").write_text("[" * 100000, encoding="utf-8")
    assert run_target.owned_entries(tmp_path / "bad") is None
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "run.json").symlink_to(marked / "run.json")  # a link is not framing's file
    assert run_target.owned_entries(linked) is None
    with pytest.raises(RunStoreError, match="not a framing run.*--force"):
        store.check_run_target(linked)
    assert store.check_run_target(linked, force=True) == linked
    with store.allow_replacing():
        assert store.check_run_target(linked) == linked
    with pytest.raises(RunStoreError, match="already holds a run and output.overwrite is false"):
        store.check_run_target(legacy, overwrite=False)


def test_a_staged_run_that_fails_leaves_an_existing_folder_untouched(tmp_path):
    target = tmp_path / "run"
    with store.staged_run(target) as tmp:
        store.write_run_json(tmp, {"seed": 1})
    before = sorted(p.name for p in target.iterdir())
    with pytest.raises(ZeroDivisionError):
        with store.staged_run(target) as tmp:
            store.write_run_json(tmp, {"seed": 2})
            1 / 0
    assert sorted(p.name for p in target.iterdir()) == before == ["run.json"]
    assert store.read_run_json(target)["seed"] == 1

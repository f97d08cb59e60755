"""The run folder as a typed object: RunMeta (versioned, migrated, checked), one config reader, one layout,
no write into a run after its staged commit, and ``framing sample --by frame`` on a default-catalog run."""

import hashlib
import json
import logging
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import framing
from framing import store
from framing.cli import app
from framing.errors import RunStoreError, UntrustedConfigWarning
from framing.runfolder import io, layout
from framing.runfolder.meta import SCHEMA_VERSION, RunMeta, migrate

TINY = Path(__file__).parent / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false",
        "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]
FAST_KW = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
               topics__min_cluster_size=3, topics__n_neighbors=5)
runner = CliRunner()


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def default_catalog_run(tmp_path_factory):
    """A run that named no catalog and matched frames with frames.default_catalog."""
    out = tmp_path_factory.mktemp("runs") / "run"
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST,
                                 "--set", "frames.default_catalog=policy-frames"])
    assert result.exit_code == 0, result.output
    return out


# --- RunMeta ------------------------------------------------------------------------------------------------------

def test_a_written_run_carries_the_schema_version_and_reads_back_unchanged(default_catalog_run):
    raw = (default_catalog_run / layout.RUN_JSON).read_text(encoding="utf-8")
    meta = store.read_meta(default_catalog_run)
    assert isinstance(meta, RunMeta) and meta.schema_version == SCHEMA_VERSION
    assert json.loads(raw)["framing_run"]["schema_version"] == SCHEMA_VERSION
    assert meta.config["frames"]["catalogs"] == [] and meta.frames["catalogs"]  # the default catalog was applied
    assert set(meta.tables) == {p.stem for p in (default_catalog_run / layout.TABLES_DIR).glob("*.parquet")}
    assert meta.tables["documents"].rows == len(pd.read_parquet(layout.table_path(default_catalog_run, "documents")))
    # Round trip: read, write, read gives the same bytes and the same record.
    copy = default_catalog_run.parent / "copy"
    copy.mkdir()
    store.write_run_json(copy, meta)
    assert (copy / layout.RUN_JSON).read_text(encoding="utf-8") == raw
    assert RunMeta.from_json(meta.to_json(), "x") == meta


def test_a_run_json_before_the_marker_is_read_through_the_migration(default_catalog_run, tmp_path):
    old = tmp_path / "old"
    (old / layout.TABLES_DIR).mkdir(parents=True)
    for p in (default_catalog_run / layout.TABLES_DIR).glob("*.parquet"):
        (old / layout.TABLES_DIR / p.name).write_bytes(p.read_bytes())
    data = json.loads((default_catalog_run / layout.RUN_JSON).read_text(encoding="utf-8"))
    del data["framing_run"], data["warnings"]  # as framing wrote it before the marker and the warnings
    (old / layout.RUN_JSON).write_text(json.dumps(data), encoding="utf-8")
    meta = store.read_meta(old)
    assert meta.schema_version == 0 and meta.warnings is None and meta.seed == data["seed"]
    run = framing.load_run(old)
    assert run.seed == data["seed"] and len(run.documents) == meta.tables["documents"].rows
    assert "framing_run" not in run.meta  # the marker is the commit's to write, never invented on reading


def test_a_run_json_of_a_newer_schema_names_the_file_and_what_to_do(tmp_path):
    (tmp_path / layout.RUN_JSON).write_text(json.dumps({"framing_run": {"schema_version": SCHEMA_VERSION + 1},
                                                       "seed": 1}), encoding="utf-8")
    with pytest.raises(RunStoreError, match=rf"run.json in {tmp_path} was written by a newer framing "
                                            rf"\(run.json schema {SCHEMA_VERSION + 1}.*Upgrade framing"):
        store.read_run_json(tmp_path)


@pytest.mark.parametrize("data, key", [
    ({"framing_run": {"schema_version": "one"}}, "framing_run"),
    ({"tables": {"documents": {"rows": "many", "columns": []}}}, "tables"),
    ({"frames": {"catalogs": "/etc/passwd"}}, "frames"),
    ({"paths": "seeds/"}, "paths"),
])
def test_a_damaged_run_json_is_one_clear_error_naming_the_key(tmp_path, data, key):
    (tmp_path / layout.RUN_JSON).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RunStoreError, match=rf"run.json in {tmp_path}: '{key}'"):
        store.read_run_json(tmp_path)


def test_migrate_leaves_a_current_run_json_alone():
    data = {"framing_run": {"schema_version": SCHEMA_VERSION, "entries": ["run.json"]}, "seed": 1}
    assert migrate(dict(data), "run.json") == data


# --- the run's config from run.json: one function ------------------------------------------------------------------

def test_run_config_received_resets_what_only_the_user_chooses_with_a_warning():
    data = framing.load_config().model_dump(mode="json")
    data["embedding"]["cache_dir"] = "/chosen/by/sender"
    with pytest.warns(UntrustedConfigWarning, match="embedding.cache_dir"):
        cfg = store.run_config({"config": data}, "run.json in RUN", received=True)
    assert cfg.embedding.cache_dir is None
    assert store.run_config({"config": data}, "run.json in RUN").embedding.cache_dir == "/chosen/by/sender"


def test_run_config_names_the_field_and_falls_back_only_when_asked(caplog):
    data = framing.load_config().model_dump(mode="json")
    data["topics"]["min_cluster_size"] = "many"
    with pytest.raises(RunStoreError, match=r"(?s)'config' of run.json in RUN.*topics.min_cluster_size"):
        store.run_config({"config": data}, "run.json in RUN")
    with pytest.raises(RunStoreError, match="run.json in RUN has no 'config'"):
        store.run_config({}, "run.json in RUN")
    with caplog.at_level(logging.WARNING):
        assert store.run_config({"config": data}, "run.json in RUN", fallback=True) == framing.load_config()
    assert "does not match this version of framing" in caplog.text


def test_table_records_are_built_in_one_place():
    tables = {"documents": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})}
    assert io.table_records(tables) == {"documents": {"rows": 2, "columns": ["doc_id", "text"]}}


# --- nothing is written into a run after its staged commit ----------------------------------------------------------

def _watch_commits(monkeypatch) -> list[tuple[Path, dict]]:
    """Record, right after each staged commit, what the run folder holds."""
    seen: list[tuple[Path, dict]] = []
    real = store.staged_run

    @contextmanager
    def watched(run_dir, *args, **kwargs):
        with real(run_dir, *args, **kwargs) as tmp:
            yield tmp
        seen.append((Path(run_dir), snapshot(Path(run_dir))))

    monkeypatch.setattr(store, "staged_run", watched)
    return seen


def test_analyze_of_a_dataframe_writes_nothing_after_the_commit(tmp_path, monkeypatch):
    seen = _watch_commits(monkeypatch)
    df = pd.DataFrame({"body": ["Rockets hit the base again tonight. The troops are there for the oil."] * 3,
                       "outlet": ["a", "b", "c"], "key": ["1", "2", "3"]})
    run = framing.analyze(df, text_field="body", source_field="outlet", id_field="key", out=tmp_path / "df",
                          **FAST_KW)
    assert [d for d, _ in seen] == [tmp_path / "df"]
    assert snapshot(run.run_dir) == seen[0][1], "the run folder changed after its commit"
    kept = run.run_dir / layout.INPUTS_DIR / layout.DATAFRAME_INPUT
    assert run.meta["paths"] == [str(kept)] and pd.read_parquet(kept).key.tolist() == ["1", "2", "3"]
    assert store.read_meta(run.run_dir).marker.entries == sorted(
        [layout.DUCKDB_FILE, layout.INPUTS_DIR, layout.REPORT_FILE, layout.RUN_JSON, layout.TABLES_DIR,
         *([layout.TOPIC_MODEL_DIR] if (run.run_dir / layout.TOPIC_MODEL_DIR).exists() else [])])


def test_rerun_writes_nothing_after_the_commit(default_catalog_run, tmp_path, monkeypatch):
    seen = _watch_commits(monkeypatch)
    out = tmp_path / "again"
    result = runner.invoke(app, ["rerun", str(default_catalog_run), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert [d for d, _ in seen] == [out]
    assert snapshot(out) == seen[0][1], "the run folder changed after its commit"
    assert store.read_run_json(out)["rerun"]["tables"]["documents"] == "identical"


# --- sample by frame on a run that used the default catalog ----------------------------------------------------------

def test_sample_by_frame_on_a_default_catalog_run(default_catalog_run, tmp_path):
    out = tmp_path / "sample"
    result = runner.invoke(app, ["sample", str(default_catalog_run), "--by", "frame", "-n", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    design = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    assert [Path(c).stem for c in design["catalogs"]] == ["policy-frames"] and design["items"] > 0
    assert "policy" in (out / "codebook.md").read_text(encoding="utf-8").lower()

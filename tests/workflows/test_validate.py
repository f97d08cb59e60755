"""The coding loop: sampling by score band and by uncertainty, `framing validate`, and the report's validated precision."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import InputError
from framing.frames.designs import stratified_design, uncertain_design
from framing.frames.validate import estimate, validate_sample
from framing.jobs.sample import build_sample, write_sample

runner = CliRunner()


def _scores(n=200, matched_from=150, frame="oil"):
    return pd.DataFrame({"item": [f"s{i:03d}" for i in range(n)], "frame_id": frame,
                         "score": np.linspace(0, 1, n), "matched": [i >= matched_from for i in range(n)]})


def test_stratified_design_draws_every_band_with_inverse_weights():
    d = stratified_design(_scores(), n=20, seed=3)
    drawn = d.groupby("band").size().to_dict()
    assert len(d) == 20 and set(drawn) == {"far", "matched-high", "matched-mid", "matched-low", "near"}
    assert drawn["near"] == 7 and drawn["far"] == 3  # a third of the 10 unmatched draws, two of them nearest
    # weights are band size over drawn: summed, they give back the population of every band
    assert d.groupby("band").weight.sum().round(6).to_dict() == {"far": 135.0, "matched-high": 17.0, "matched-low": 16.0,
                                                                 "matched-mid": 17.0, "near": 15.0}
    assert d.equals(stratified_design(_scores(), n=20, seed=3))
    assert not d.item.equals(stratified_design(_scores(), n=20, seed=4).item)
    near = d[d.band == "near"].item.str[1:].astype(int)
    assert near.between(135, 149).all()  # the tenth of the unmatched items scoring highest


def test_uncertain_design_takes_the_items_nearest_the_decision():
    s = _scores().assign(margin=lambda x: (x.score - 0.75).abs())
    d = uncertain_design(s, n=6, seed=0)
    picked = d.item.str[1:].astype(int)
    assert picked.between(147, 152).all() and d.weight.isna().all()


def test_estimate_is_weighted_and_has_intervals():
    rows = pd.DataFrame({"weight": [1.0] * 10 + [9.0] * 10, "predicted": [True] * 10 + [False] * 10,
                         "coded": [True] * 8 + [False] * 2 + [True] * 1 + [False] * 9})
    est = estimate(rows)
    assert est["precision"] == pytest.approx(0.8)
    assert est["recall"] == pytest.approx(8 / (8 + 9))  # one coded miss stands for nine
    assert 0 <= est["precision_low"] < 0.8 < est["precision_high"] <= 1
    assert (est["precision_n"], est["recall_n"]) == (10, 9)


def test_a_small_band_gives_its_share_to_the_others():
    d = stratified_design(_scores(n=60, matched_from=50), n=20, seed=0)  # 'near' holds one item
    assert len(d) == 20 and (d.groupby("band").size() <= d.groupby("band").band_size.first()).all()


def test_validation_recovers_a_known_precision():
    """A simulated coder who confirms 70% of the matches: the estimate finds 0.7 within its interval."""
    rng = np.random.default_rng(1)
    scores = _scores(n=2000, matched_from=1500)
    truth = {i: (rng.random() < (0.7 if m else 0.02)) for i, m in zip(scores.item, scores.matched)}
    design = stratified_design(scores, n=120, seed=2)
    coded = pd.DataFrame({"item": design.item.unique()})
    coded["codes"] = [["oil"] if truth[i] else [] for i in coded.item]
    tables = {"frames": pd.DataFrame({"frame_id": ["oil"]}),
              "sentence_frames": scores.rename(columns={"item": "sentence_id"})}
    out = validate_sample(tables, coded, {"unit": "sentence", "strategy": "stratified"}, design, None)
    row = out.iloc[0]
    true_precision = np.mean([truth[i] for i in scores.item[scores.matched]])
    assert row.precision_low <= true_precision <= row.precision_high
    true_recall = (sum(truth[i] for i in scores.item[scores.matched]) / sum(truth.values()))
    assert row.recall_low <= true_recall <= row.recall_high
    with pytest.raises(InputError, match="not a probability sample"):
        validate_sample(tables, coded, {"unit": "sentence", "strategy": "uncertain"}, design, None)


def test_document_sample_predicts_the_document_decision(tiny_run):
    """predicted_frames of a document sample is document_frames.matched, not 'some sentence matched'."""
    tables = dict(tiny_run.tables)
    df = tables["document_frames"].copy()
    sf = tables["sentence_frames"]
    sents = tables["sentences"]
    with_sentence = set(sf[sf.matched].merge(sents[["sentence_id", "doc_id"]]).apply(
        lambda r: (r.doc_id, r.frame_id), axis=1))
    # turn every document decision around: the sentence-based guess is then wrong everywhere
    df["matched"] = [(d, f) not in with_sentence for d, f in zip(df.doc_id, df.frame_id)]
    tables["document_frames"] = df
    sample = build_sample(tables, "frame", 3, "document", 1)
    decided = df[df.matched].groupby("doc_id").frame_id.agg(lambda s: ";".join(sorted(s)))
    for doc, predicted in zip(sample.doc_id, sample.predicted_frames):
        assert predicted == decided.get(doc, "")


def _fill(sample_csv, choose):
    s = pd.read_csv(sample_csv, dtype=str, keep_default_na=False)
    s["frames"] = [choose(r) for r in s.to_dict("records")]
    s.to_csv(sample_csv, index=False)
    return s


def test_validate_cli_writes_the_table_and_the_report_shows_it(tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run.run_dir, run)
    out = tmp_path / "sample"
    result = runner.invoke(app, ["sample", str(run), "--strategy", "stratified", "--n", "6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "design.csv").is_file() and json.loads((out / "sample.json").read_text())["strategy"] == "stratified"
    _fill(out / "sample.csv", lambda r: r["predicted_frames"] or "none")  # a coder who agrees with every match
    result = runner.invoke(app, ["validate", str(run), "--coded", str(out / "sample.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(run / "tables" / "frame_validation.parquet")
    matched = table[table.precision_n > 0]
    assert len(matched) and (matched.precision == 1.0).all()
    assert "precision 1.00 [" in result.output
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "Validated precision" in html and "coded sentences" in html
    assert "frame_validation" in json.loads((run / "run.json").read_text())["tables"]


def test_validate_names_the_line_of_an_unknown_frame(tiny_run, tmp_path):
    out = write_sample(tiny_run.run_dir, "frame", 3, "sentence", tmp_path / "s", strategy="stratified")
    _fill(out / "sample.csv", lambda r: "not-a-frame")
    result = runner.invoke(app, ["validate", str(tiny_run.run_dir), "--coded", str(out / "sample.csv")])
    assert result.exit_code != 0
    assert "line 2, field 'frames': unknown frame id(s) not-a-frame" in result.output


def test_uncertain_sample_is_refused_by_validate(tiny_run, tmp_path):
    out = write_sample(tiny_run.run_dir, "frame", 3, "sentence", tmp_path / "u", strategy="uncertain")
    _fill(out / "sample.csv", lambda r: "none")
    result = runner.invoke(app, ["validate", str(tiny_run.run_dir), "--coded", str(out / "sample.csv")])
    assert result.exit_code != 0 and "not a probability sample" in result.output


def test_sample_by_frame_works_on_a_run_with_the_default_catalog(tiny_run, tmp_path):
    """A run whose catalog came from frames.default_catalog has an empty config.frames.catalogs."""
    run = tmp_path / "run"
    shutil.copytree(tiny_run.run_dir, run)
    meta = json.loads((run / "run.json").read_text())
    meta["config"]["frames"]["catalogs"] = []
    (run / "run.json").write_text(json.dumps(meta))
    result = runner.invoke(app, ["sample", str(run), "--by", "frame", "--n", "2", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "codebook.md").is_file()


def test_python_api_samples_and_validates(tiny_run, tmp_path):
    import framing

    run = tmp_path / "run"
    shutil.copytree(tiny_run.run_dir, run)
    folder = framing.draw_sample(run, strategy="stratified", n=4, out=tmp_path / "api")
    _fill(folder / "sample.csv", lambda r: "none")  # a coder who rejects every match
    table = framing.validate(run, folder / "sample.csv")
    assert set(table.columns) >= {"frame_id", "precision", "precision_low", "precision_high", "recall"}
    assert (table.loc[table.precision_n > 0, "precision"] == 0.0).all()

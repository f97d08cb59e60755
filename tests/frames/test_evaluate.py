import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from framing.embed import registry
from framing.errors import InputError
from framing.frames import FrameMatcher, evaluate_catalog, multilabel_metrics, read_labels
from framing.frames.cli import evaluate_command

from .fake import FakeEmbedder


def test_metrics_hand_computed():
    gold = [{"a"}, {"a", "b"}, set(), {"b"}, {"a"}]
    pred = [{"a"}, {"a"}, {"b"}, {"b"}, set()]
    table, avg = multilabel_metrics(gold, pred, ["a", "b", "c"])
    t = table.set_index("frame_id")
    # a: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8;  b: tp 1, fp 1, fn 1 -> 0.5 / 0.5 / 0.5;  c: nothing
    assert t.loc["a", ["tp", "fp", "fn"]].tolist() == [2, 0, 1]
    assert t.loc["a", "f1"] == pytest.approx(0.8) and t.loc["a", "recall"] == pytest.approx(2 / 3)
    assert t.loc["b", ["precision", "recall", "f1"]].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert t.loc["c", ["support", "predicted", "f1"]].tolist() == [0, 0, 0]
    # micro: tp 3, fp 1, fn 2 -> P 0.75, R 0.6, F1 2/3; macro over a and b: (0.8 + 0.5) / 2
    assert avg["micro_precision"] == pytest.approx(0.75) and avg["micro_recall"] == pytest.approx(0.6)
    assert avg["micro_f1"] == pytest.approx(2 / 3)
    assert avg["macro_f1"] == pytest.approx(0.65)


def test_read_labels_csv_and_jsonl(data_dir):
    csv = read_labels(data_dir / "labels.csv")
    assert csv["frames"].tolist()[-1] == ["media-lies", "us-there-for-oil"] and csv["frames"].tolist()[3] == []
    jsonl = read_labels(data_dir / "labels.jsonl")
    assert jsonl["frames"].tolist() == [["us-there-for-oil"], [], ["media-lies"]]


def test_read_labels_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nx,y\n")
    with pytest.raises(InputError, match="no 'frames' field"):
        read_labels(bad)
    noitem = tmp_path / "noitem.csv"
    noitem.write_text("what,frames\nx,y\n")
    with pytest.raises(InputError, match="'text', 'sentence_id' or 'doc_id'"):
        read_labels(noitem)


def test_evaluate_sentence_level(tiny_catalog, data_dir):
    result = evaluate_catalog(tiny_catalog, read_labels(data_dir / "labels.csv"), FakeEmbedder())
    t = result.per_frame.set_index("frame_id")
    # the mixed sentence "The press spread lies about the oil." is missed for oil: tp 4, fp 0, fn 1
    assert result.micro_precision == 1.0 and result.micro_recall == pytest.approx(0.8)
    assert result.micro_f1 == pytest.approx(8 / 9)
    assert t.loc["us-there-for-oil", ["tp", "fn"]].tolist() == [1, 1]
    # labels suggest a lower oil threshold that recovers the mixed sentence
    assert t.loc["us-there-for-oil", "suggested_threshold"] < t.loc["us-there-for-oil", "threshold"]
    assert t.loc["us-there-for-oil", "suggested_f1"] == 1.0


def test_evaluate_document_level_by_ids(tiny_catalog, sentences):
    labels = pd.DataFrame({"doc_id": ["docA", "docB", "docC"],
                           "frames": [["us-there-for-oil", "withdrawal-defeat"], ["us-there-for-oil"], ["media-lies"]]})
    result = evaluate_catalog(tiny_catalog, labels, FakeEmbedder(), sentences=sentences)
    assert result.level == "document"
    t = result.per_frame.set_index("frame_id")
    # docB also has a media-lies sentence the labels do not list: one false positive
    assert t.loc["media-lies", ["tp", "fp"]].tolist() == [1, 1]
    assert result.micro_precision == pytest.approx(4 / 5) and result.micro_recall == 1.0


def test_evaluate_document_text_is_split(tiny_catalog):
    labels = pd.DataFrame({"text": ["It will rain tomorrow. The Americans only want the oil and gas."],
                           "frames": [["us-there-for-oil"]]})
    result = evaluate_catalog(tiny_catalog, labels, FakeEmbedder(), level="document")
    assert result.micro_f1 == 1.0


def test_unknown_label_frames(tiny_catalog):
    labels = pd.DataFrame({"text": ["x"], "frames": [["nope"]]})
    with pytest.raises(InputError, match="not in the catalog: nope"):
        evaluate_catalog(tiny_catalog, labels, FakeEmbedder())


def test_evaluate_command(monkeypatch, data_dir):
    monkeypatch.setitem(registry._REGISTRY, "fake-frames", lambda cfg: FakeEmbedder())
    app = typer.Typer()
    app.command()(evaluate_command)
    result = CliRunner().invoke(app, ["--frames", str(data_dir / "tiny-catalog.yaml"),
                                      "--labels", str(data_dir / "labels.csv"), "--model", "fake-frames"])
    assert result.exit_code == 0, result.output
    assert "micro F1 0.889 [" in result.output and "(P 1.000 [" in result.output and "R 0.800 [" in result.output
    assert "media-lies" in result.output and "sug.thr" in result.output


def test_evaluate_with_fitted_matcher(tiny_catalog, data_dir):
    emb = FakeEmbedder()
    matcher = FrameMatcher(tiny_catalog, emb, threshold=0.3).fit()
    result = evaluate_catalog(tiny_catalog, read_labels(data_dir / "labels.csv"), emb, matcher=matcher)
    assert set(matcher.thresholds_.values()) == {0.3}
    assert result.micro_recall == 1.0


def test_malformed_csv_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,frames\nfine,media-lies\nunquoted, comma,media-lies\n")
    with pytest.raises(InputError, match=r"line 3, saw 3\. Use CSV \(quote texts holding commas\)"):
        read_labels(bad)


def test_id_labels_need_a_run(tiny_catalog):
    labels = pd.DataFrame({"sentence_id": ["a1"], "frames": [["us-there-for-oil"]]})
    with pytest.raises(InputError, match="by id; pass --run RUN_DIR"):
        evaluate_catalog(tiny_catalog, labels, FakeEmbedder())


def test_csv_cell_holding_a_json_list_is_read_as_frame_ids(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text('text,frames\n"De VS steelt de Syrische olie.","[""a"", ""b""]"\nNothing here.,\n',
                    encoding="utf-8")
    labels = read_labels(path)
    assert [list(f) for f in labels.frames] == [["a", "b"], []]

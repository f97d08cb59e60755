"""Hostile input, built here in tmp_path: every item is read or skipped with a reason, never lost.

For each corpus: a message naming the file, line or field; the rest of the
corpus processed; the item in run.json's skipped list with its reason; and
items in = items read + items skipped.
"""

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.config import load_config
from framing.segment.step import ingest

runner = CliRunner()

RTL = "The rockets hit the base. القوات الأمريكية غادرت القاعدة 🚀🔥. שלום עולם, הכוחות עזבו 🙏🏽."


def run_ingest_cli(corpus, out, *extra):
    result = runner.invoke(app, ["ingest", str(corpus), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    sents = pd.read_parquet(out / "tables" / "sentences.parquet")
    return result.output, meta, docs, sents


def skipped_of(meta) -> dict[str, str]:
    return {s["item"]: s["reason"] for s in meta["skipped"]}


@pytest.fixture
def hostile_folder(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t\n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "nul.txt": b"Text with a NUL \x00 byte inside. And more text here.\n",
        "latin.txt": "Café au lait is served near the base. The troops left.\n".encode("cp1252"),
        "mixed.txt": "UTF-8 line: the café was hit.\n".encode() + "cp1252 line: \u201cthe troops left\u201d.\n".encode("cp1252"),
        "rtl.txt": RTL.encode("utf-8"),
        "page.html": (b"<html><head><script>var secret='SCRIPTTEXT';</script><style>p{color:red}</style></head>"
                      b"<body><article><p>Troops left the base today after the attack on the convoy.</p>"
                      b"<p>Residents said they heard explosions all night.</p>"
                      b"<script>document.write('INLINESCRIPT')</script></article></body></html>"),
        "dates1.txt": b"The first report about the convoy.\n",
        "dates2.txt": b"The second report about the convoy.\n",
        "dates3.txt": b"The third report about the convoy.\n",
        "dates4.txt": b"The fourth report about the convoy.\n",
    }
    for name, data in files.items():
        (c / name).write_bytes(data)
    (tmp_path / "outside.txt").write_text("A secret outside the corpus.", encoding="utf-8")
    (c / "manifest.csv").write_text(
        "file,source,date\n"
        "dates1.txt,a,2020-02-30\n"       # impossible day
        "dates2.txt,b,31/12/2020\n"       # day first
        "dates3.txt,c,\"March 3, 2021\"\n"  # words
        "dates4.txt,d,2021-13-45\n"       # impossible month
        "../outside.txt,e,2020-01-01\n"   # outside the corpus folder
        "/etc/hostname,f,2020-01-01\n", encoding="utf-8")
    return c, files


def test_hostile_folder_every_file_read_or_skipped_with_its_reason(hostile_folder, tmp_path):
    corpus, files = hostile_folder
    output, meta, docs, sents = run_ingest_cli(corpus, tmp_path / "run")
    skipped = skipped_of(meta)
    by_file = {Path(k).name: v for k, v in skipped.items()}
    assert by_file["empty.txt"] == "empty file" and by_file["blank.txt"] == "empty file"
    assert "binary" in by_file["image.txt"] and "binary" in by_file["nul.txt"]
    assert "outside the corpus folder" in by_file["outside.txt"] and "outside the corpus folder" in by_file["hostname"]
    # Files in = files read (pages) + files skipped.
    read = {Path(f).name for f in docs.file}
    skipped_files = {n for n in by_file if n in files}
    assert read | skipped_files == set(files) and not read & skipped_files
    assert docs.page_id.nunique() + len(skipped_files) == len(files)
    # Nothing outside the corpus folder was read.
    assert not docs.text.str.contains("secret outside", case=False).any()
    # Messages name the file and the manifest row.
    assert "manifest.csv row 5" in output and "../outside.txt" in output


def test_hostile_folder_text_is_decoded_dated_and_clean(hostile_folder, tmp_path):
    corpus, _ = hostile_folder
    output, meta, docs, sents = run_ingest_cli(corpus, tmp_path / "run")
    doc = docs.set_index(docs.file.map(lambda f: Path(f).name))
    assert doc.loc["latin.txt", "encoding"] in ("cp1252", "latin-1") and "Café" in doc.loc["latin.txt", "text"]
    assert doc.loc["mixed.txt", "encoding"] == "utf-8+cp1252"
    assert "café" in doc.loc["mixed.txt", "text"] and "\u201cthe troops left\u201d" in doc.loc["mixed.txt", "text"]
    assert "mixed.txt mixes encodings" in output
    # HTML: scripts and styles never reach the text.
    html = doc.loc["page.html", "text"]
    assert "Troops left the base" in html and "SCRIPT" not in html.upper() and "color" not in html
    # Dates: parsed to ISO, or kept as given in notes with a warning naming the file.
    assert doc.loc["dates2.txt", "date"] == "2020-12-31" and doc.loc["dates3.txt", "date"] == "2021-03-03"
    for name, given in (("dates1.txt", "2020-02-30"), ("dates4.txt", "2021-13-45")):
        assert pd.isna(doc.loc[name, "date"]) and given in doc.loc[name, "notes"]
        assert any(name in w["message"] and given in w["message"] for w in meta["warnings"])
    # Right-to-left text and emoji survive intact, with exact offsets into the file.
    rtl = sents[sents.doc_id == doc.loc["rtl.txt", "doc_id"]]
    assert "🚀🔥" in "".join(rtl.text) and "שלום" in "".join(rtl.text)
    for row in rtl.itertuples():
        assert RTL[row.input_start:row.input_end] == row.text


def test_a_file_that_disappears_during_the_run_is_skipped(tmp_path, monkeypatch):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("a.txt", "vanishing.txt", "z.txt"):
        (corpus / name).write_text(f"Troops left the base, says {name}.", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "vanishing.txt":
            self.unlink()  # gone between listing the folder and reading it
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    output, meta, docs, _ = run_ingest_cli(corpus, tmp_path / "run")
    assert sorted(Path(f).name for f in docs.file) == ["a.txt", "z.txt"]
    reasons = {Path(k).name: v for k, v in skipped_of(meta).items()}
    assert "disappeared" in reasons["vanishing.txt"]
    assert "vanishing.txt" in output


JSONL = [
    '{"id": "1", "text": "Troops left the base today.", "source": "a", "date": "2020-01-05"}',
    '{"id": "2", "text": "Rockets hit the embassy.", "source": "b"',          # truncated
    'not json at all',
    '{"id": "3", "text": 12345, "source": "c"}',                               # wrong type
    '{"id": "4", "text": null, "source": "c"}',
    '{"id": "5", "text": {"nested": "dict"}, "source": "c"}',
    '{"id": "6", "body": "no text field here", "source": "c"}',                # missing field
    '{"id": "7", "text": "Source is a list.", "source": ["x", "y"], "date": 20200105}',
    '{"id": "8", "text": "Duplicate id, first text.", "source": "d", "date": "2020-02-30"}',
    '{"id": "8", "text": "Duplicate id, second text.", "source": "d", "date": "yesterday"}',
    '[1, 2, 3]',
    '',
    '{"id": "9", "text": "Date in ISO with time and emoji 🚀.", "source": "e", "date": "2021-03-03T10:00:00Z"}',
]


def test_malformed_jsonl_lines_and_fields_are_skipped_by_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(JSONL), encoding="utf-8")
    output, meta, docs, _ = run_ingest_cli(path, tmp_path / "run")
    reasons = {k.split()[-1]: v for k, v in skipped_of(meta).items()}
    assert "invalid JSON" in reasons["2"] and "invalid JSON" in reasons["3"]
    assert reasons["4"] == "no text: field 'text' holds a int, not text"
    assert reasons["5"] == "no text: field 'text' is null"
    assert "dict" in reasons["6"] and reasons["7"] == "no text: field 'text' is missing"
    assert "not an object" in reasons["11"]
    records = [line for line in JSONL if line.strip()]
    assert len(docs) + len(meta["skipped"]) == len(records)
    assert sorted(docs.record_id) == ["1", "7", "8", "8", "9"]
    assert any("id '8'" in w["message"] and "more than one record" in w["message"] for w in meta["warnings"])
    assert docs.set_index("record_id").loc["9", "date"] == "2021-03-03"


def test_malformed_csv_quoting_skips_only_the_lines_it_spans(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('id,text,source\n'
                    '1,"Fine text here.",a\n'
                    '2,"Unclosed quote here,b\n'
                    '3,Third row text.,c\n'
                    '4,"Embedded ""quotes"" here.",d\n'
                    '5,too,many,fields,here\n'
                    '6,"Multi-line\nquoted text, fine.",f\n'
                    '7,Last row.,g\n', encoding="utf-8")
    output, meta, docs, _ = run_ingest_cli(path, tmp_path / "run")
    assert sorted(docs.record_id) == ["1", "6", "7"]
    reasons = list(skipped_of(meta).values())
    assert any("malformed CSV quoting in lines 3-5" in r for r in reasons)
    assert any("5 fields but the header has 3 (line 6)" in r for r in reasons)
    assert "malformed CSV quoting" in output


@pytest.mark.slow
def test_a_20_mb_single_line_is_split_into_bounded_sentences(tmp_path):
    corpus = tmp_path / "big"
    corpus.mkdir()
    words = "the troops left base rockets hit oil fields sanctions hurt families government said today".split()
    line = " ".join(words[(i * 7) % len(words)] for i in range(2_000_000))[:20_000_000]
    (corpus / "one-line.txt").write_text(line, encoding="utf-8")
    cfg = load_config()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ingest([corpus], cfg)
    sents = result.sentences
    assert len(result.documents) == 1
    assert sents.text.str.len().max() <= cfg.segment.max_chars
    # Every character of the line is in some sentence, in order (nothing dropped).
    assert sents.input_start.iloc[0] == 0 and sents.input_end.iloc[-1] == len(line.rstrip())
    assert (sents.input_start.to_numpy()[1:] >= sents.input_end.to_numpy()[:-1]).all()
    assert sum(len(t.split()) for t in sents.text) == len(line.split())


@pytest.mark.slow
def test_100k_tiny_documents_with_progress(tmp_path):
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(100_000):
            fh.write(json.dumps({"id": str(i), "text": f"Report {i} says the troops left.", "source": f"s{i % 7}"}) + "\n")
        fh.write("{broken\n")
    result = runner.invoke(app, ["ingest", str(path), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "Splitting sentences" in result.output  # progress is shown
    meta = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    assert meta["counts"]["documents"] == 100_000 and len(meta["skipped"]) == 1
    assert meta["skipped"][0]["item"].endswith("line 100001")

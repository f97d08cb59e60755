"""read_inputs: folders with manifests, record files, field mapping, skipped items."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from framing.config import CorpusConfig, FieldMapping
from framing.corpus.model import EXTRA_KEY, META_KEYS, stable_id
from framing.corpus.readers import ReadResult, read_inputs
from framing.errors import FieldMappingError, InputError, InputWarning

DATA = Path(__file__).parent.parent / "data" / "readers"
FOLDER = DATA / "folder"


def by_name(result: ReadResult) -> dict:
    return {Path(p.file).name: p for p in result.pages}


@pytest.fixture
def folder_result() -> ReadResult:
    with pytest.warns(InputWarning, match="missing.txt"):
        return read_inputs([FOLDER], CorpusConfig())


# --- folders and manifests ---------------------------------------------------------------


def test_folder_reads_documents_in_sorted_order(folder_result):
    names = [Path(p.file).as_posix().split("folder/")[1] for p in folder_result.pages]
    assert names == ["bbc/page.html", "bbc/rockets.txt", "loose.md", "rt/withdrawal.txt"]
    assert all(set(p.meta) == {*META_KEYS, EXTRA_KEY} for p in folder_result.pages)


def test_manifest_keyed_by_relative_file_name(folder_result):
    pages = by_name(folder_result)
    rockets = pages["rockets.txt"]
    assert rockets.meta["source"] == "BBC"
    assert rockets.meta["title"] == "Rockets in Baghdad"
    assert rockets.meta["author"] == "A. Reporter"
    assert (rockets.meta["date"], rockets.meta["date_source"]) == ("2021-03-18", "stated")
    # "May 3, 2021" in the manifest is normalised to ISO.
    assert pages["withdrawal.txt"].meta["date"] == "2021-05-03"


def test_html_in_folder_merges_manifest_and_page_metadata(folder_result):
    page = by_name(folder_result)["page.html"]
    assert page.meta["source"] == "BBC"  # from the manifest
    assert page.meta["title"] == "Embassy attacked"  # from the page
    assert page.meta["date"] == "2021-03-18" and page.meta["date_source"] == "inferred"
    assert "alert(1)" not in page.text and "secret-style" not in page.text


def test_file_outside_manifest_gets_stem_as_source(folder_result):
    assert by_name(folder_result)["loose.md"].meta["source"] == "loose"


def test_skipped_items_name_file_and_reason(folder_result):
    reasons = {Path(s.item).name: s.reason for s in folder_result.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["scan.pdf"].startswith("unsupported extension")
    assert "manifest.csv" in reasons["missing.txt"] and "does not exist" in reasons["missing.txt"]
    assert ".hidden.txt" not in reasons and "manifest.csv" not in reasons


def test_inputs_have_sha256_and_format(folder_result):
    formats = {Path(i.path).name: (i.format, i.records) for i in folder_result.inputs}
    assert formats["manifest.csv"] == ("manifest", 4)
    assert formats["page.html"] == ("html", 1)
    assert formats["empty.txt"] == ("txt", 0)
    assert all(len(i.sha256) == 64 for i in folder_result.inputs)


def test_page_id_is_relative_to_the_input_parent(folder_result, tmp_path):
    page = by_name(folder_result)["rockets.txt"]
    assert page.page_id == stable_id("folder/bbc/rockets.txt", None, page.text)
    moved = tmp_path / "elsewhere" / "folder"
    shutil.copytree(FOLDER, moved)
    with pytest.warns(InputWarning):
        again = by_name(read_inputs([moved], CorpusConfig()))
    assert again["rockets.txt"].page_id == page.page_id


def test_source_from_subfolder_and_default_source(tmp_path):
    (tmp_path / "outlet").mkdir()
    (tmp_path / "outlet" / "story.txt").write_text("A story from the outlet.")
    (tmp_path / "top.txt").write_text("A story at the top.")
    pages = by_name(read_inputs([tmp_path], CorpusConfig()))
    assert pages["story.txt"].meta["source"] == "outlet"
    assert pages["top.txt"].meta["source"] == "top"
    pages = by_name(read_inputs([tmp_path], CorpusConfig(default_source="mine")))
    assert {p.meta["source"] for p in pages.values()} == {"mine"}


def test_not_recursive(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("Deep text.")
    (tmp_path / "top.txt").write_text("Top text.")
    result = read_inputs([tmp_path], CorpusConfig(recursive=False))
    assert [Path(p.file).name for p in result.pages] == ["top.txt"]


@pytest.mark.parametrize("kind", ["jsonl", "yaml"])
def test_manifest_formats(tmp_path, kind):
    (tmp_path / "a.txt").write_text("Text of a.")
    (tmp_path / "b.txt").write_text("Text of b.")
    if kind == "jsonl":
        rows = [{"file": "a.txt", "source": "rt", "date": "2021-05-03T08:00:00Z", "notes": "checked"}]
        (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    else:
        (tmp_path / "manifest.yaml").write_text("a.txt:\n  source: rt\n  date: 2021-05-03\n  notes: checked\n")
    pages = by_name(read_inputs([tmp_path], CorpusConfig()))
    assert set(pages) == {"a.txt", "b.txt"}  # the manifest itself is not a document
    assert (pages["a.txt"].meta["source"], pages["a.txt"].meta["date"], pages["a.txt"].meta["notes"]) == (
        "rt", "2021-05-03", "checked"
    )
    assert pages["b.txt"].meta["source"] == "b"


def test_manifest_from_config_and_bare_name_match(tmp_path):
    (tmp_path / "corpus" / "rt").mkdir(parents=True)
    (tmp_path / "corpus" / "rt" / "a.txt").write_text("Text of a.")
    manifest = tmp_path / "meta.csv"
    manifest.write_text("file,source,date_source,date\na.txt,Russia Today,inferred,2021-05-03\n")
    result = read_inputs([tmp_path / "corpus"], CorpusConfig(manifest=str(manifest)))
    meta = result.pages[0].meta
    assert (meta["source"], meta["date_source"]) == ("Russia Today", "inferred")
    assert any(i.format == "manifest" for i in result.inputs)


def test_manifest_without_file_column_names_manifest_and_columns(tmp_path):
    (tmp_path / "a.txt").write_text("Text of a.")
    (tmp_path / "manifest.csv").write_text("name,source\na.txt,rt\n")
    with pytest.raises(InputError, match=r"manifest\.csv has no 'file' column \(columns: name, source\)"):
        read_inputs([tmp_path], CorpusConfig())


def test_missing_manifest_from_config(tmp_path):
    (tmp_path / "a.txt").write_text("Text of a.")
    with pytest.raises(InputError, match="corpus.manifest"):
        read_inputs([tmp_path], CorpusConfig(manifest=str(tmp_path / "nope.csv")))


# --- single files and path errors --------------------------------------------------------


def test_single_text_and_html_files():
    result = read_inputs([FOLDER / "loose.md", FOLDER / "bbc" / "page.html"], CorpusConfig())
    assert [p.meta["source"] for p in result.pages] == ["loose", "page"]
    assert result.pages[1].meta["title"] == "Embassy attacked"
    assert result.pages[0].page_id == stable_id("loose.md", None, result.pages[0].text)


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(InputError, match=r"nothing\.txt does not exist; give a folder or a \.txt/\.md/"):
        read_inputs([tmp_path / "nothing.txt"], CorpusConfig())


def test_unsupported_extension_given_directly():
    with pytest.raises(InputError, match=r"unsupported extension '\.pdf'\. Supported: .*\.jsonl.*\.parquet"):
        read_inputs([FOLDER / "rt" / "scan.pdf"], CorpusConfig())


def test_empty_single_file(tmp_path):
    (tmp_path / "blank.txt").write_text(" \n\t\n")
    result = read_inputs([tmp_path / "blank.txt"], CorpusConfig())
    assert result.pages == [] and result.skipped[0].reason == "empty file"


def test_encodings_are_recorded_per_page(tmp_path):
    text = "Le “café” – 5 €\r\nfin"
    (tmp_path / "a_utf8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b_bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "c_cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "d_latin1.txt").write_bytes("Brücke à bientôt\r\n".encode("latin-1"))
    pages = read_inputs([tmp_path], CorpusConfig()).pages
    assert [p.encoding for p in pages] == ["utf-8", "utf-8-sig", "cp1252", "latin-1"]
    assert pages[0].text == pages[1].text == pages[2].text == "Le “café” – 5 €\nfin"
    assert pages[3].text == "Brücke à bientôt\n"


# --- record files ------------------------------------------------------------------------


def test_jsonl_records_with_skips_for_empty_text_and_bad_json():
    with pytest.warns(InputWarning, match=r"records\.jsonl: 2 of 5 records skipped"):
        result = read_inputs([DATA / "records.jsonl"], CorpusConfig())
    assert [p.record for p in result.pages] == ["line 1", "line 2", "line 5"]
    first, second, _ = result.pages
    assert (first.meta["id"], first.meta["source"], first.meta["title"]) == ("a1", "fox", "First")
    assert (first.meta["date"], first.meta["date_source"]) == ("2010-07-02", "stated")
    assert second.text == "Paragraph one.\n\nParagraph two."
    assert second.meta["date"] == "2010-07-03"
    assert first.meta["author"] is None  # untouched default field absent from the data
    skipped = {s.item.split()[-1]: s.reason for s in result.skipped}
    assert "empty" in skipped["3"]
    assert skipped["4"].startswith("invalid JSON")
    assert all("records.jsonl line" in s.item for s in result.skipped)
    assert result.inputs[0].format == "jsonl" and result.inputs[0].records == 5
    assert first.page_id == stable_id("records.jsonl", "line 1", first.text)


def test_basil_like_nested_paragraphs_of_sentences():
    fields = FieldMapping(text="paragraphs", id="file_id", source="source", title="title", date="date", url="url")
    result = read_inputs([DATA / "nested_paragraphs.jsonl"], CorpusConfig(fields=fields))
    assert len(result.pages) == 2 and not result.skipped
    page = result.pages[0]
    assert page.text == "WASHINGTON — First sentence. Second sentence.\n\nThird sentence in a new paragraph."
    assert (page.meta["id"], page.meta["source"], page.meta["url"]) == ("e1_1", "nyt", "http://nyt.example/1")
    assert {p.meta["source"] for p in result.pages} == {"nyt", "fox"}


def test_missing_text_field_names_file_field_existing_fields_and_fix():
    with pytest.raises(FieldMappingError) as info:
        read_inputs([DATA / "nested_paragraphs.jsonl"], CorpusConfig())
    message = str(info.value)
    assert "nested_paragraphs.jsonl" in message and "'text'" in message
    assert "file_id" in message and "paragraphs" in message
    assert "--text-field" in message and "corpus.fields.text" in message


def test_changed_mapping_missing_everywhere_is_an_error_but_default_is_not():
    fields = FieldMapping(text="paragraphs", author="byline")
    with pytest.raises(FieldMappingError, match=r"author field 'byline' is in no record.*corpus\.fields\.author"):
        read_inputs([DATA / "nested_paragraphs.jsonl"], CorpusConfig(fields=fields))
    # 'author' and 'language' keep their defaults and are absent: simply None.
    pages = read_inputs([DATA / "nested_paragraphs.jsonl"], CorpusConfig(fields=FieldMapping(text="paragraphs"))).pages
    assert pages[0].meta["author"] is None and pages[0].meta["language"] is None


def test_every_line_bad_is_an_input_error(tmp_path):
    (tmp_path / "bad.jsonl").write_text("not json\n{broken\n")
    with pytest.raises(InputError, match=r"bad\.jsonl: no line is a JSON object \(line 1"):
        read_inputs([tmp_path / "bad.jsonl"], CorpusConfig())


def test_csv_with_semicolons_multiline_and_mapping():
    fields = FieldMapping(text="body", source="outlet")
    with pytest.warns(InputWarning, match="1 of 3 records skipped"):
        result = read_inputs([DATA / "records.csv"], CorpusConfig(fields=fields))
    assert [p.record for p in result.pages] == ["row 1", "row 3"]
    assert result.pages[0].text == "Text with a ; semicolon inside."
    assert result.pages[1].text == "A multi\nline text."
    assert [p.meta["source"] for p in result.pages] == ["rt", "sputnik"]
    assert result.pages[1].meta["date"] == "2021-03-05"  # 03/05/2021 is read month first
    assert result.skipped[0].item.endswith("records.csv row 2")


def test_json_list_with_dotted_nested_field():
    result = read_inputs([DATA / "records.json"], CorpusConfig(fields=FieldMapping(title="meta.title")))
    assert [p.meta["title"] for p in result.pages] == ["Nested title", "Other"]
    assert [p.record for p in result.pages] == ["record 1", "record 2"]
    assert result.pages[0].meta["source"] == "records"  # no source field: the file stem


def test_parquet_records(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "content": [[["One.", "Two."], ["Three."]], None, [["Only."]]],
            "outlet": ["rt", "rt", "tass"],
            "published": [dt.datetime(2021, 5, 3, 12), dt.datetime(2021, 5, 4), None],
        }
    )
    pq.write_table(table, tmp_path / "posts.parquet")
    fields = FieldMapping(text="content", source="outlet", date="published")
    with pytest.warns(InputWarning, match="1 of 3"):
        result = read_inputs([tmp_path / "posts.parquet"], CorpusConfig(fields=fields))
    assert [p.text for p in result.pages] == ["One. Two.\n\nThree.", "Only."]
    assert [p.meta["date"] for p in result.pages] == ["2021-05-03", None]
    assert result.skipped[0].item.endswith("posts.parquet row 2")
    assert result.inputs[0].format == "parquet" and result.inputs[0].records == 3


def test_record_file_in_cp1252(tmp_path):
    line = json.dumps({"text": "“Quoted” – café"}, ensure_ascii=False)
    (tmp_path / "win.jsonl").write_bytes(line.encode("cp1252"))
    page = read_inputs([tmp_path / "win.jsonl"], CorpusConfig()).pages[0]
    assert (page.text, page.encoding) == ("“Quoted” – café", "cp1252")


def test_record_files_in_a_folder_are_listed_as_skipped(tmp_path):
    shutil.copy(DATA / "records.jsonl", tmp_path / "records.jsonl")
    (tmp_path / "a.txt").write_text("Text of a.")
    result = read_inputs([tmp_path], CorpusConfig())
    assert [Path(p.file).name for p in result.pages] == ["a.txt"]
    assert result.skipped[0].reason.startswith("unsupported extension")


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2010-07-02", "2010-07-02"),
        ("2010-07-02T23:30:00Z", "2010-07-02"),
        ("Fri, 02 Jul 2010 10:00:00 GMT", "2010-07-02"),
        ("2 July 2010", "2010-07-02"),
        (1278028800, "2010-07-02"),
        (1278028800000, "2010-07-02"),
        ("MAY 2021", None),
        ("2021", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_normalize_date(value, expected):
    from framing.corpus.read_meta import normalize_date

    assert normalize_date(value) == expected


def test_unparseable_date_goes_to_notes_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Text of a.")
    (tmp_path / "manifest.csv").write_text("file,date,notes\na.txt,MAY 2021,archive stamp\n")
    with pytest.warns(InputWarning, match=r"a\.txt: date 'MAY 2021' does not parse"):
        meta = read_inputs([tmp_path], CorpusConfig()).pages[0].meta
    assert (meta["date"], meta["date_source"]) == (None, "unknown")
    assert meta["notes"] == "archive stamp; date as given: MAY 2021"


def test_unparseable_dates_in_a_record_file_warn_once(tmp_path):
    lines = [json.dumps({"text": f"Post {i}.", "date": "spring"}) for i in range(3)]
    (tmp_path / "posts.jsonl").write_text("\n".join(lines))
    with pytest.warns(InputWarning, match=r"posts\.jsonl: 3 dates do not parse") as record:
        pages = read_inputs([tmp_path / "posts.jsonl"], CorpusConfig()).pages
    assert len([w for w in record if "dates do not parse" in str(w.message)]) == 1
    assert all(p.meta["date"] is None for p in pages)


def test_single_file_uses_the_manifest_beside_it():
    result = read_inputs([FOLDER / "loose.md", FOLDER / "bbc" / "rockets.txt"], CorpusConfig())
    assert [p.meta["source"] for p in result.pages] == ["loose", "rockets"]  # bbc/ holds no manifest
    (page,) = read_inputs([FOLDER / "rt" / "withdrawal.txt"], CorpusConfig(manifest=str(FOLDER / "manifest.csv"))).pages
    assert (page.meta["source"], page.meta["title"]) == ("RT", "Withdrawal")


def test_json_object_wrapping_one_list_of_records(tmp_path):
    (tmp_path / "export.json").write_text(json.dumps({"count": 2, "items": [{"text": "One."}, {"text": "Two."}]}))
    assert [p.text for p in read_inputs([tmp_path / "export.json"], CorpusConfig()).pages] == ["One.", "Two."]

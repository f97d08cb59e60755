"""The assembled page: sections, plotly.js packed once, escaping by construction, numbers that are the tables'."""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import json
import re

import numpy as np
import plotly.offline
import pytest
from markupsafe import escape

from framing.report.common import text
from framing.store import read_run_json, read_tables

from framing.errors import ReportError
from framing.report import build_figures, render_report, write_report
from framing.report import plotlyjs as plotlyjs_module
from framing.report.html import _env, _figure_json, pack, trace_types, unpack
from framing.report.plotlyjs import TRACES, plotlyjs
from framing.report.plotlyjs import bundle as plotlyjs_bundle

from .conftest import EVIL_LABEL, EVIL_SOURCE, IMG, PAYLOADS, SCRIPT

SCRIPT_BLOCK = re.compile(r"<script>(.*?)</script>", re.DOTALL)
PACKED_BLOCK = re.compile(r'<script type="application/octet-stream" id="([\w-]+)" data-packing="gzip\+base64">(.*?)</script>',
                          re.DOTALL)
BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def packed(page: str) -> dict[str, str]:
    """The page's packed blocks, unpacked: what its script gets."""
    return {name: unpack(block) for name, block in PACKED_BLOCK.findall(page)}
QUOTE = re.compile(
    r'<blockquote class="quote" lang="([^"]*)" id="q-([^"]+)">\s*<p class="qt">“(.*?)”</p>\s*'
    r'<p class="ref">(.*?)</p>\s*<p class="ids">(.*?)</p>', re.DOTALL)


@pytest.fixture(scope="module")
def page(hostile_run) -> str:
    return render_report(read_tables(hostile_run), read_run_json(hostile_run), seed=42)


def test_sections_and_nav(page):
    for anchor in ("overview", "frames", "evidence", "compare", "topics", "terms", "audience", "timing",
                   "candidates", "run"):
        assert f'<section id="{anchor}">' in page and f'href="#{anchor}"' in page
    for fig in ("frame_prevalence", "frames_by_source", "sentence_map", "topic_sizes", "topics_per_source"):
        assert page.count(f'id="fig-{fig}"') == 1


def test_sections_without_their_table_say_so(hostile_run):
    tables = read_tables(hostile_run)
    for name in ("compare_trend", "compare_terms", "compare_timing", "compare_audience"):
        tables.pop(name, None)
    page = render_report(tables, read_run_json(hostile_run), seed=42)
    for what in ("Frames over time by source", "Distinctive terms", "Who said it first"):
        assert f"<b>{what}:</b> not computed in this run." in page
    assert "the audience table (compare_audience: what comments add to the articles they answer) is not computed" in page
    assert "Intervals: not computed" not in page  # compare_prevalence holds them


def test_plotlyjs_packed_once_and_nothing_from_the_network(page):
    js, version = plotlyjs_bundle()
    if version == plotly.offline.get_plotlyjs_version():  # the partial bundle of the page's trace types
        assert packed(page)["plotly-js"] == js and len(js) < 2_000_000
    else:  # plotly.py expects another plotly.js: its own full bundle
        assert packed(page)["plotly-js"] == plotly.offline.get_plotlyjs()
    for whole in (js, plotly.offline.get_plotlyjs()):
        for i in range(0, len(whole) - 200, len(whole) // 7):  # no uncompressed plotly.js anywhere in the page
            assert whole[i:i + 200] not in page
    assert len(page.encode("utf-8")) < 1_000_000
    assert len(SCRIPT_BLOCK.findall(page)) == 1 and page.count("<script") == 5  # + 4 packed blocks
    assert [name for name, _ in PACKED_BLOCK.findall(page)] == ["plotly-js", "figure-data", "compare-data",
                                                                 "context-data"]
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe\b|@import|url\(http", page)


def test_csp_allows_exactly_the_page_scripts(page):
    csp = htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    hashes = re.findall(r"'sha256-([^']+)'", csp)
    assert len(hashes) == 2
    # the page's script, and plotly.js as it runs once unpacked (an inline script the page's script adds)
    for script in [*SCRIPT_BLOCK.findall(page), packed(page)["plotly-js"]]:
        assert base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() in hashes


def test_autoescape_is_on():
    env = _env()
    assert env.autoescape is True or env.autoescape("report.html.j2")
    assert str(env.from_string("{{ x }}").render(x=SCRIPT)) == str(escape(SCRIPT))


def test_untrusted_text_is_escaped_everywhere(page):
    for raw in PAYLOADS:
        assert raw not in page
    assert escape(EVIL_SOURCE) in page and escape(EVIL_LABEL) in page
    assert "javascript:alert(5)" not in re.findall(r'href="([^"]*)"', page)
    for name, block in PACKED_BLOCK.findall(page):
        assert BASE64.fullmatch(block), name  # nothing in a block can end it or become markup
    data = packed(page)
    figures, compare = json.loads(data["figure-data"]), json.loads(data["compare-data"])
    # Plotly renders a few tags in labels and hovers: the figures hold corpus text escaped ...
    shown = json.dumps(figures, ensure_ascii=False)  # the strings as Plotly gets them
    for raw in PAYLOADS:
        assert raw not in shown
    assert htmllib.escape(EVIL_SOURCE, quote=True) in shown
    # ... the comparison holds it as it is, and the page's script writes it with textContent only
    assert EVIL_SOURCE in compare["sources"] and figures


def test_the_partial_plotlyjs_bundle_covers_the_report_and_falls_back_to_the_full_one(tables, monkeypatch):
    js, version = plotlyjs_bundle()
    assert js.startswith(f"/*! plotly.js v{version} (partial bundle") and "MIT" in js[:400]
    assert trace_types(build_figures(tables, seed=42), {"bar"}) == TRACES  # every figure's type, no more
    if version == plotly.offline.get_plotlyjs_version():
        assert plotlyjs({"bar", "heatmap", "scattergl"}) == (js, "framing bundle")
    full = (plotly.offline.get_plotlyjs(), "plotly.py full bundle")
    assert plotlyjs({"bar", "pie"}) == full  # a trace type the partial bundle lacks
    monkeypatch.setattr(plotlyjs_module, "expected_version", lambda: "0.0.1")
    assert plotlyjs({"bar"}) == full  # plotly.py writes figures for another plotly.js


def test_pack_is_base64_gzip_of_the_text_and_deterministic():
    text_ = '{"a": "</script><!-- & \u2028 é"}'
    block = str(pack(text_))
    assert BASE64.fullmatch(block) and unpack(block) == text_ and str(pack(text_)) == block
    assert base64.b64decode(block)[:2] == b"\x1f\x8b"  # gzip, as DecompressionStream("gzip") reads it


def test_figure_data_is_the_figures_built_from_the_tables(page, tables):
    got = json.loads(packed(page)["figure-data"])
    assert got == json.loads(_figure_json(build_figures(tables, seed=42)))
    sm = got["sentence_map"]["data"]
    xs = np.concatenate([np.frombuffer(base64.b64decode(t["x"]["bdata"]), dtype=t["x"]["dtype"])
                         if isinstance(t["x"], dict) else np.asarray(t["x"], float) for t in sm])
    assert sorted(xs) == pytest.approx(sorted(tables["sentences"]["map_x"].dropna()))
    assert sum(len(t["text"]) for t in sm) == len(xs)


def test_overview_counts_are_the_tables(page, tables):
    docs, sents = tables["documents"], tables["sentences"]
    for source, part in docs.groupby("source"):
        n_sent = int((sents["source"] == source).sum())
        row = re.search(r"<tr><td>" + re.escape(str(escape(source))) + r"</td>(.*?)</tr>", page).group(1)
        cells = [int(c.replace(",", "")) for c in re.findall(r'data-sort="(\d+)"', row)]
        assert cells == [len(part), *(int((part["role"] == r).sum()) for r in ("article", "comment", "post")), n_sent]
    assert f"Share of all {len(sents):,} sentences" in page
    for lang, n in sents["lang"].value_counts().items():
        assert f'<tr><td>{lang}</td><td class="num">{n:,}</td><td class="num">{n / len(sents):.1%}</td></tr>' in page


def test_outlier_share_is_run_json_s(page, meta):
    t = meta["topics"]
    assert f"{t['outlier_share'] * 100:.1f}% of the {t['clustered']:,} sentences given to clustering" in page


def test_frame_counts_are_the_tables(page, tables):
    frames, dframes = tables["frames"], tables["document_frames"]
    for r in frames.itertuples():
        n_docs = int(((dframes["frame_id"] == r.frame_id) & dframes["matched"].astype(bool)).sum())
        row = re.search(r'<tr><td><a href="#frame-' + re.escape(r.frame_id) + r'">.*?</tr>', page, re.DOTALL).group(0)
        assert re.findall(r'data-sort="(\d+)"', row)[:2] == [str(r.sentences), str(n_docs)]


def test_most_in_is_the_largest_share_of_the_table(page, tables, meta):
    """"Most in" compares only sources with MIN_LEADER_DOCUMENTS documents: a small source never leads."""
    from framing.report.sections.frame_leads import MIN_LEADER_DOCUMENTS

    # the hostile corpus's sources have 2-3 documents each: no source is named, and the page says why
    assert "no source has that many, so no source is named" in page
    cp = tables["compare_prevalence"].copy()
    big = {"alpha news", "gamma nl"}
    size = cp["group"].map(lambda g: MIN_LEADER_DOCUMENTS + 5 if g in big else 3)
    for col in ("group_documents", "group_documents_all"):
        if col in cp.columns:
            cp[col] = size
    small = (cp["by"] == "source") & ~cp["group"].isin(big)
    cp.loc[small, "share_of_documents"] = 0.99  # the largest share, from a source with few documents
    out = render_report({**tables, "compare_prevalence": cp}, meta, seed=42)
    assert f"among the sources with at least {MIN_LEADER_DOCUMENTS} documents" in out
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame") & (cp["share_of_documents"] > 0) & cp["group"].isin(big)]
    for fid, part in cp.groupby("item"):
        best = part.sort_values(["share_of_documents", "documents"], ascending=[False, False]).iloc[0]
        row = re.search(r'<tr><td><a href="#frame-' + re.escape(fid) + r'">.*?</tr>', out, re.DOTALL).group(0)
        assert f"{escape(best.group)}: {best.share_of_documents * 100:.1f}%" in row
        assert "99.0%" not in row


def test_every_quote_is_found_by_its_ids(page, tables):
    sents = tables["sentences"].set_index("sentence_id")
    docs = tables["documents"].set_index("doc_id")
    quotes = QUOTE.findall(page)
    assert len(quotes) >= 10
    for lang, sid, shown, ref, ids in quotes:
        row = sents.loc[sid]
        assert htmllib.unescape(shown) == row.text
        start, end = map(int, re.search(r"(\d+)&ndash;(\d+)(?: · score|$)", ids).groups())
        assert docs.loc[row.doc_id, "text"][start:end] == row.text
        assert f"doc_id {row.doc_id}" in ids and lang == row.lang
        assert htmllib.unescape(ref).startswith(f"{row.source} · {text(row.date) or 'no date'} · {row.role}")


def _frame_block(page: str, frame_id: str) -> str:
    return page.split(f'id="frame-{frame_id}"')[1].split('<details class="frame"')[0].split("</section>")[0]


def test_evidence_is_the_frames_own_and_shows_languages_side_by_side(page, tables):
    sf = tables["sentence_frames"]
    for r in tables["frames"].itertuples():
        block = _frame_block(page, r.frame_id)
        shown = re.findall(r'id="q-([^"]+)"', block)
        assert list(r.evidence_ids)[:1] == shown[:1] or tables["sentences"].set_index("sentence_id").loc[
            r.evidence_ids[0], "lang"] != "en"
        matched = set(sf[(sf.frame_id == r.frame_id) & sf.matched].sentence_id)
        assert set(shown) <= matched
        for sid in shown:
            score = sf[(sf.frame_id == r.frame_id) & (sf.sentence_id == sid)].score.iloc[0]
            assert f"sentence_id {sid} · " in block and f"score {score:.3f}" in block
    blocks = [_frame_block(page, f) for f in tables["frames"].frame_id]
    assert any("<h4>en</h4>" in b and "<h4>nl</h4>" in b for b in blocks)


def test_quotes_open_in_their_document(page, tables):
    m = re.search(r'id="q-([^"]+)">.*?<details class="ctx"><summary>Open in its document</summary><p>(.*?)<mark>(.*?)</mark>',
                  page, re.DOTALL)
    sid, before, marked = m.groups()
    row = tables["sentences"].set_index("sentence_id").loc[sid]
    doc = tables["documents"].set_index("doc_id").loc[row.doc_id, "text"]
    assert htmllib.unescape(marked) == row.text
    assert doc[:row.start].endswith(htmllib.unescape(before).lstrip("…"))


def test_topic_and_candidate_quotes_open_in_their_document_from_packed_context(page, tables):
    contexts = json.loads(packed(page)["context-data"])
    sents = tables["sentences"].set_index("sentence_id")
    docs = tables["documents"].set_index("doc_id")["text"]
    found = re.findall(r'id="q-([^"]+)">(?:(?!</blockquote>).)*?<details class="ctx" data-ctx="(\d+)">', page, re.DOTALL)
    assert len(found) == len(contexts) > 0 and sorted(int(i) for _, i in found) == list(range(len(contexts)))
    for sid, i in found:
        before, said, after = contexts[int(i)]
        row = sents.loc[htmllib.unescape(sid)]
        doc = docs.loc[row.doc_id]
        assert said == row.text and doc[:row.start].endswith(before.lstrip("…"))
        assert doc[row.end:].startswith(after.rstrip("…"))
    # corpus text as it is (payloads included): the page's script writes it with textContent only
    assert any(raw in c for c in map("".join, contexts) for raw in PAYLOADS)
    topics = page.split('<section id="topics">')[1].split("</section>")[0]
    assert 'data-ctx="' in topics and "<mark>" not in topics  # the topics' contexts are packed, not inline


def test_compare_data_is_the_tables(page, tables):
    data = json.loads(packed(page)["compare-data"])
    cp = tables["compare_prevalence"]
    cp = cp[(cp["by"] == "source") & (cp["kind"] == "frame")]
    assert set(data["sources"]) == set(tables["documents"]["source"])
    for r in cp.itertuples():
        got = data["frame_shares"][r.group][r.item]
        assert got[:3] == pytest.approx([r.share_of_documents, r.documents_ci_low, r.documents_ci_high], abs=1e-6)
        assert got[3:] == [r.documents, r.group_documents]
    assert data["frame_table"] == "compare_prevalence" and data["has_ci"]


def test_without_compare_tables_the_page_says_so(tables, meta):
    tables.pop("compare_prevalence")
    page = render_report(tables, meta)
    assert "Shares by source: not computed in this run (no compare_prevalence rows by source" in page
    assert 'id="compare-data"' not in page  # no side-by-side numbers that no table holds
    assert "two sources side by side:</b> not computed in this run" in page.lower()


def test_warnings_are_shown_escaped(tables, meta):
    meta = {**meta, "warnings": [{"category": "FrameWarning", "message": f"bad {IMG}", "stage": "frames"}]}
    page = render_report(tables, meta)
    assert "<td>FrameWarning</td><td>frames</td><td>bad " + str(escape(IMG)) + "</td>" in page
    assert "has no list of warnings" in render_report(tables, {k: v for k, v in meta.items() if k != "warnings"})
    assert "The run recorded no warning." in render_report(tables, {**meta, "warnings": []})


def test_skipped_inputs_are_listed(tables, meta):
    meta = {**meta, "skipped": [{"item": "broken.pdf", "reason": f"unsupported {IMG}", "stage": "ingest"}]}
    page = render_report(tables, meta)
    assert f"<td>broken.pdf</td><td>unsupported {escape(IMG)}</td><td>ingest</td>" in page


def test_missing_frame_tables_say_so(tables, meta):
    for name in ("sentence_frames", "frames", "topic_frames", "document_frames", "frame_candidates"):
        tables.pop(name)
    cp = tables["compare_prevalence"]
    tables["compare_prevalence"] = cp[cp["kind"] != "frame"]
    page = render_report(tables, meta)
    assert "<b>Frames:</b> not computed in this run." in page and 'href="#evidence"' not in page
    assert '<section id="topics">' in page and "fig-sentence_map" in page


def test_all_article_corpus_says_it_has_no_comments(tables, meta):
    tables["documents"] = tables["documents"].assign(role="article")
    tables["compare_audience"] = tables["compare_audience"].iloc[0:0]  # as compare writes it for such a corpus
    page = render_report(tables, meta)
    assert "This corpus has no comments" in page and 'id="fig-audience"' not in page


def test_render_is_deterministic_and_title_is_escaped(tables, meta):
    a = render_report(tables, meta, title="My <b>run</b>", seed=3)
    assert a == render_report(tables, meta, title="My <b>run</b>", seed=3)
    assert "<title>My &lt;b&gt;run&lt;/b&gt;</title>" in a


def test_write_report(tables, meta, tmp_path):
    path = write_report(tables, meta, tmp_path / "run" / "report.html", seed=1, max_points=100)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="Cannot write the report to"):
        write_report(tables, meta, blocker / "report.html")


def test_comparison_tables_show_intervals_in_one_cell(page, tables):
    cp = tables["compare_prevalence"].sort_values(["by", "kind", "item", "group"], kind="stable").iloc[0]
    cell = f"{cp.share_of_documents:.1%} [{cp.documents_ci_low:.1%} – {cp.documents_ci_high:.1%}]"
    assert f">{cell}</td>" in page.split('id="prevalence-table"')[1]


def test_quotes_name_the_input_file_and_offsets_into_it(page, tables, hostile_run):
    """Evidence leads back to the input: the record's text field sliced at input_start:input_end holds the sentence."""
    records = {}
    for line in (hostile_run.parent / "corpus" / "hostile.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        records[rec["id"]] = rec["text"]
    docs = tables["documents"].set_index("doc_id")
    found = re.findall(r'id="q-([^"]+)">.*?<p class="ids">file (\S+) chars (\d+)&ndash;(\d+) · doc_id (\S+)', page, re.DOTALL)
    assert len(found) >= 10
    for sid, file, a, b, doc_id in found:
        assert file.endswith("hostile.jsonl")
        sentence = tables["sentences"].set_index("sentence_id").loc[sid, "text"]
        source_text = records[docs.loc[doc_id, "record_id"]][int(a):int(b)]
        assert source_text.split() == sentence.split()

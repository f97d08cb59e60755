"""HTML to main text: trafilatura, metadata, fallback, no script or style leaks."""

from __future__ import annotations

from pathlib import Path

from framing.corpus.html import html_to_text

PAGE = (Path(__file__).parent.parent / "data" / "readers" / "folder" / "bbc" / "page.html").read_text("utf-8")


def test_main_text_without_scripts_styles_or_navigation():
    text, _ = html_to_text(PAGE)
    assert "Late on March 17" in text and "Besmaya base" in text
    for leaked in ("alert(1)", "secret-style", "color: red", "document.write", "injected", "Home"):
        assert leaked not in text


def test_paragraphs_are_separated_by_blank_lines():
    text, _ = html_to_text(PAGE)
    blocks = text.split("\n\n")
    assert blocks[0] == "Embassy attacked"
    assert blocks[1].startswith("Late on March 17") and blocks[2].startswith("A day earlier")


def test_metadata_from_trafilatura():
    _, meta = html_to_text(PAGE)
    assert meta["title"] == "Embassy attacked"
    assert meta["author"] == "Jane Doe"
    assert meta["date"] == "2021-03-18"
    assert meta["url"] == "https://example.org/news/embassy"


def test_comments_are_kept_after_the_article():
    html = PAGE.replace(
        "</article>",
        "</article><div class='comments'><div class='comment'><p>Wake up people, this is a false flag.</p></div></div>",
    )
    text, _ = html_to_text(html)
    assert text.rstrip().endswith("Wake up people, this is a false flag.")


def test_fragment_falls_back_to_text_dump_without_scripts():
    html = "<p>Only a fragment.</p><script>alert(1)</script><style>p { color: red }</style><p>Second part.</p>"
    text, meta = html_to_text(html)
    assert "Only a fragment." in text and "Second part." in text
    assert "alert" not in text and "color" not in text
    assert meta["title"] is None


def test_page_with_only_script_has_no_text():
    assert html_to_text("<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>")[0] == ""
    assert html_to_text("   ")[0] == ""


def test_fallback_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    text, meta = html_to_text(PAGE)
    assert text.split("\n\n")[:2] == ["Home World", "Embassy attacked"]
    assert "Besmaya base" in text
    for leaked in ("alert(1)", "secret-style", "document.write", "injected"):
        assert leaked not in text
    assert meta["title"] == "Embassy attacked"  # metadata still comes from trafilatura

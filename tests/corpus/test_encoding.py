"""Decoding: UTF-8, UTF-8 with BOM, cp1252, latin-1, tie-breaking and newlines."""

from __future__ import annotations

import pytest

from framing.corpus.encoding import decode_bytes, normalize_text

DEFAULT = ["utf-8-sig", "utf-8", "cp1252", "latin-1"]
TEXT = "Le café “Fake news” – 5 €\r\nSecond line\rthird"
EXPECTED = "Le café “Fake news” – 5 €\nSecond line\nthird"


def test_utf8():
    assert decode_bytes(TEXT.encode("utf-8"), DEFAULT) == (EXPECTED, "utf-8")


def test_utf8_with_bom_is_reported_and_stripped():
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), DEFAULT)
    assert encoding == "utf-8-sig"
    assert text == EXPECTED and not text.startswith("\ufeff")


def test_cp1252_when_c1_bytes_are_printable():
    text, encoding = decode_bytes(TEXT.encode("cp1252"), DEFAULT)
    assert encoding == "cp1252"
    assert text == EXPECTED


def test_latin1_without_c1_bytes():
    data = "Über die Brücke, señor, à bientôt".encode("latin-1")
    assert decode_bytes(data, DEFAULT) == ("Über die Brücke, señor, à bientôt", "latin-1")


def test_latin1_when_cp1252_cannot_decode():
    # 0x81 and 0x9d are undefined in cp1252: only latin-1 decodes them.
    text, encoding = decode_bytes(b"caf\xe9 \x81\x9d", DEFAULT)
    assert encoding == "latin-1"
    assert text == "café \x81\x9d"


def test_utf16_bom():
    text, encoding = decode_bytes("Привет, мир\r\n".encode("utf-16"), DEFAULT)
    assert (text, encoding) == ("Привет, мир\n", "utf-16")


def test_charset_normalizer_breaks_a_tie_between_candidates():
    russian = "Это пропаганда и дезинформация, сказал министр иностранных дел в понедельник. " * 3
    text, encoding = decode_bytes(russian.encode("cp1251"), ["cp1252", "cp1251", "latin-1"])
    assert encoding == "cp1251"
    assert text == russian


def test_no_candidate_decodes_falls_back_without_crashing():
    text, encoding = decode_bytes(b"caf\xe9 and \x81", ["ascii"])
    assert isinstance(text, str) and text.startswith("caf")
    assert encoding


def test_empty_bytes():
    assert decode_bytes(b"", DEFAULT) == ("", "utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("e\u0301", "\u00e9"), ("  keep  spaces\t", "  keep  spaces\t")],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected

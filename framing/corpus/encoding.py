"""Decoding input bytes: UTF-8 (with or without BOM), cp1252, latin-1 and friends.

The rules, in order:

1. A byte-order mark decides: UTF-8 BOM gives ``"utf-8-sig"``, UTF-16/32
   BOMs give ``"utf-16"`` / ``"utf-32"``.
2. Bytes that are valid UTF-8 are UTF-8 (a legacy 8-bit text is almost never
   valid UTF-8 by accident).
3. Otherwise every candidate encoding that decodes the bytes strictly is a
   contender. Between cp1252 and latin-1 (which agree on 0xA0-0xFF), cp1252
   wins when the bytes hold 0x80-0x9F and cp1252 maps them all to printable
   characters (curly quotes, dashes, the euro sign); otherwise latin-1 wins.
4. If contenders remain (say the config adds ``cp1251``), charset-normalizer
   breaks the tie among them only.
5. Mixed files (some lines valid UTF-8 with non-ASCII characters, others
   not: text pasted together from several sources) are decoded line by
   line, UTF-8 where it is valid and the winning 8-bit candidate elsewhere;
   the encoding is reported as ``"utf-8+cp1252"`` (say).
6. If nothing decodes strictly, charset-normalizer's best guess is used, and
   failing that UTF-8 with U+FFFD replacement characters
   (reported as ``"utf-8-replace"``).

The decoded text has ``"\\n"`` newlines (``\\r\\n`` and lone ``\\r`` are
converted) and is in Unicode NFC; nothing else is changed.
"""

from __future__ import annotations

import codecs
import re
import logging
import unicodedata
from collections.abc import Sequence

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_C1 = bytes(range(0x80, 0xA0))
_LATIN1 = codecs.lookup("latin-1").name
_CP1252 = codecs.lookup("cp1252").name
_UTF8 = codecs.lookup("utf-8").name


def normalize_text(text: str) -> str:
    """Unify newlines to ``"\\n"`` and compose to NFC; nothing else changes.

    >>> normalize_text("a\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _codec_name(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _from_bom(data: bytes) -> tuple[str, str] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data, name)
            if text is not None:
                return text, name
    return None


def _prefer_cp1252(data: bytes, decoded: str) -> bool:
    """True when 0x80-0x9F bytes are present and all decode to printable characters."""
    c1 = [i for i, byte in enumerate(data) if 0x80 <= byte <= 0x9F]
    if not c1:
        return False
    return all(decoded[i].isprintable() for i in c1)


def _contenders(data: bytes, candidates: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Candidates (not UTF-8) that decode strictly: codec name -> (label, text)."""
    found: dict[str, tuple[str, str]] = {}
    for label in candidates:
        codec = _codec_name(label)
        if codec is None:
            logger.warning("Unknown encoding %r in corpus.encodings is ignored.", label)
            continue
        if codec.startswith("utf_8") or codec in found:
            continue
        text = _strict(data, codec)
        if text is not None:
            found[codec] = (label.lower(), text)
    if _CP1252 in found and _LATIN1 in found:
        # Single-byte cp1252 text maps 1:1 to characters, so index i is byte i.
        drop = _LATIN1 if _prefer_cp1252(data, found[_CP1252][1]) else _CP1252
        del found[drop]
    return found


def _tie_break(data: bytes, contenders: dict[str, tuple[str, str]]) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(contenders)).best()
    if best is not None:
        codec = _codec_name(best.encoding)
        if codec in contenders:
            label, text = contenders[codec]
            return text, label
    label, text = next(iter(contenders.values()))
    return text, label


def _last_resort(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode(_UTF8, errors="replace"), "utf-8-replace"


def _mixed(data: bytes, fallback: str, candidates: Sequence[str]) -> tuple[str, str] | None:
    """Line-by-line decoding when some lines are UTF-8 with non-ASCII characters and others are not."""
    if fallback not in candidates and codecs.lookup(fallback).name not in (_CP1252, _LATIN1):
        return None
    lines = data.splitlines(keepends=True)
    utf8 = [_strict(line, _UTF8) for line in lines]
    if not any(t is not None and not line.isascii() for t, line in zip(utf8, lines)):
        return None
    out = [t if t is not None else line.decode(fallback) for t, line in zip(utf8, lines)]
    return "".join(out), f"utf-8+{fallback}"


def decode_bytes(data: bytes, candidates: Sequence[str]) -> tuple[str, str]:
    """Decode the bytes of an input file and say which encoding was used.

    Parameters
    ----------
    data : bytes
        The raw file content.
    candidates : sequence of str
        Encodings to consider after UTF-8 (``corpus.encodings``), for example
        ``["utf-8-sig", "utf-8", "cp1252", "latin-1"]``.

    Returns
    -------
    text : str
        The decoded text with ``"\\n"`` newlines, in NFC.
    encoding : str
        ``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``, ``"latin-1"``, another
        candidate as spelled in ``candidates``, or ``"utf-8-replace"``.

    Examples
    --------
    >>> decode_bytes("caf\\u00e9\\r\\n".encode("utf-8"), ["cp1252", "latin-1"])
    ('café\\n', 'utf-8')
    >>> decode_bytes(b"\\x93quoted\\x94", ["cp1252", "latin-1"])
    ('“quoted”', 'cp1252')
    >>> decode_bytes(b"caf\\xe9", ["cp1252", "latin-1"])
    ('café', 'latin-1')
    """
    if not data:
        return "", "utf-8"
    found = _from_bom(data)
    if found is None:
        text = _strict(data, _UTF8)
        if text is not None:
            found = (text, "utf-8")
    if found is None:
        contenders = _contenders(data, candidates)
        if len(contenders) == 1:
            label, text = next(iter(contenders.values()))
            found = (text, label)
        elif contenders:
            found = _tie_break(data, contenders)
        if found is not None:
            found = _mixed(data, found[1], candidates) or found
        else:
            found = _last_resort(data)
            logger.warning("No candidate encoding decodes the input; used %s.", found[1])
    text, encoding = found
    return normalize_text(text), encoding


# C0 controls other than tab and the line/page breaks, DEL, C1 controls and U+FFFD: none of them occurs
# in text, so many of them mean the bytes were not text (or were decoded with the wrong encoding).
_NON_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_SPACE = re.compile(r"[ \t\n\r\f\v]")
MAX_NON_TEXT_SHARE = 0.05
"""Above this share of control or replacement characters (among the non-space ones) a file or record is not text."""
MIN_NON_TEXT = 3
"""...and at least this many of them, so that one stray control character in a short record is not enough."""
CHAOS_WARN = 0.5
"""charset-normalizer's chaos measure of text decoded with a legacy encoding above which a file is warned about."""
_CHAOS_SAMPLE = 100_000


def non_text_share(text: str) -> tuple[int, float]:
    """How many control or U+FFFD replacement characters ``text`` holds, and their share of its non-space characters.

    >>> non_text_share("Plain text.\\n")
    (0, 0.0)
    >>> non_text_share("\\x01\\x02\\x03ab")
    (3, 0.6)
    """
    count = len(_NON_TEXT.findall(text))
    if not count:
        return 0, 0.0
    visible = len(text) - len(_SPACE.findall(text))
    return count, count / max(visible, 1)


def non_text_reason(text: str) -> str | None:
    """Why ``text`` is not text (a binary or undecodable file), or None when it reads as text.

    >>> non_text_reason("The troops left the base.") is None
    True
    >>> non_text_reason("\\x8b\\x08\\x1f\\x02x\\x9c\\x13\\x10")
    'not text: 7 of 8 characters (88%) are control or undecodable characters (a binary or compressed file?); convert it to text first'
    """
    count, share = non_text_share(text)
    if count < MIN_NON_TEXT or share <= MAX_NON_TEXT_SHARE:
        return None
    visible = len(text) - len(_SPACE.findall(text))
    return (f"not text: {count} of {visible} characters ({share:.0%}) are control or undecodable characters "
            "(a binary or compressed file?); convert it to text first")


def chaos(text: str) -> float:
    """charset-normalizer's chaos measure ("mess ratio") of the text's first 100,000 characters; 0 for clean text.

    Text decoded with the wrong legacy encoding (Russian cp1251 bytes read as cp1252, say) scores about 1 or
    more; text in the right encoding stays below 0.05.
    """
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text[:_CHAOS_SAMPLE], maximum_threshold=1.0)) if text else 0.0


def legacy_decoded(encoding: str) -> bool:
    """True when ``encoding`` (as :func:`decode_bytes` reports it) is not UTF-8/16/32: a guess that can be wrong."""
    return not any(encoding.startswith(u) and "+" not in encoding for u in ("utf-8", "utf-16", "utf-32")) \
        or encoding == "utf-8-replace"

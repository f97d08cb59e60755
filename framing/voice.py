"""Who is speaking in each sentence: the writer's own words, a direct quote, or reported speech.

Framing research sets the journalist's frame against the frames of the
sources it quotes; a frame that lives only in quotes belongs to the quoted,
not to the outlet. Every sentence gets a ``voice``:

``quote``
    At least half of its word characters (:data:`QUOTE_SHARE`) lie inside
    quotation marks: “ ” „ " « » ‘ ’ ‚ ' (and » « , ” ” as openers where
    that is the style). Marks are paired per paragraph by their position
    against letters and spaces, so an apostrophe (``Iraq’s``, ``don't``,
    Dutch ``'s avonds``) is never a quote; a quote left open at the end of a
    paragraph runs to its end (the convention for quotes over several
    paragraphs), and a quote spans as many sentences as it covers: the
    sentence ``We will win.`` in ``“We will stay. We will win,” he said.``
    is a quote.
``reported``
    Otherwise, when the sentence reports someone else's speech ("X said
    that", "according to X", "X told reporters", Dutch "zei", "volgens",
    "aldus", "liet weten" ...: :func:`framing.voice_rules.find_reported`),
    or holds a shorter quote attributed to a speaker. Rules exist for
    English and Dutch (:data:`~framing.voice_rules.REPORTED_LANGUAGES`); in
    other languages only quotation marks are read, so their sentences are
    ``quote`` or ``own``.
``own``
    Everything else: the outlet's, author's or commenter's own words.

``speaker`` is the named subject of the reporting verb or of the attribution
next to a quote ("Maria Zakharova", "the Pentagon" is given as "Pentagon",
"premier Rutte"), or None when unknown. A pronoun ("he said") takes the
named speaker of the last three sentences of its unit, else None ("he",
"she", "hij" only: "they", "it" and Dutch "ze" stay unknown). It is a
pattern rule, not a parser: its precision, read on 50 sentences, is in
``docs/voice-reading.csv`` and docs/reference/cli.md.

Examples
--------
>>> text = "“We will stay. We will win,” Lavrov said. He left. Iran’s army said it was ready."
>>> [v for v in mark_voices(text, [(0, 41), (42, 50), (51, 83)])]
[('quote', 'Lavrov'), ('own', None), ('reported', 'Iran’s army')]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pandas as pd

from .voice_rules import NOT_COLON_SPEAKERS, PRONOUNS, REPORTED_LANGUAGES, find_reported

VOICES = ("own", "quote", "reported")
"""The values of ``sentences.voice``."""
OWN, QUOTE, REPORTED = VOICES
QUOTE_SHARE = 0.5
"""A sentence is a quote when at least this share of its word characters is inside quotation marks."""
PRONOUN_REACH = 3
"""A pronoun speaker takes the named speaker of at most this many sentences before it."""
SINGULAR = frozenset({"he", "she", "hij"})
"""The pronouns resolved to a name ("they", "it", Dutch "zij"/"ze" may be a group: left unknown)."""

_MARKS = re.compile("[\"'“”„«»‘’‚]")
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_OPEN_AFTER = "([{—–-/:;\"'“„«‘‚»"  # a mark after one of these (or a space) can open a quote
_CLOSES = {"“": "”“", "„": "”“", "«": "»", "»": "«", "‘": "’", "‚": "’‘", '"': '"', "'": "'", "”": "”"}
_NEEDS_CLOSER = {  # openers that are often something else: open only when a closer follows in the paragraph
    "'": re.compile(r"[^\s']'(?!\w)"), '"': re.compile(r"[^\s\"]\"(?!\w)"), "‘": re.compile(r"[^\s‘]’(?!\w)"),
    "»": re.compile(r"[^\s»]«"), "”": re.compile(r"[^\s”]”(?!\w)"),
}
_CLITIC = re.compile(r"'(?:t|s|n|k|m|tis|em)\b", re.IGNORECASE)  # Dutch 't, 's, 'n; English 'em, 'tis
_LINE_END = re.compile(r"[.!?…:][\"”’»)\]]*\s*$")
_LINE_START = re.compile(r"\s*(?:[“„«‘\"'»]|[-*•·–—]\s|\d{1,3}[.)]\s)")
# A sentence that is a quote and its attribution only: “…,” he said. / He said: “…”
_ATTRIBUTED = re.compile(r"^\s*“…”\s*[^“]{0,80}$|^[^“]{0,80}[:,]\s*“…”\W*$")
_COLON_SPEAKER = re.compile(r"((?:[A-Z][\w’'.-]*\s){0,3}[A-Z][\w’'.-]*)\s*:")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans between blank lines, and between lines where a line ends a sentence or a quote or list item starts."""
    spans, start, pos = [], 0, 0
    lines = text.split("\n")
    for line, nxt in zip(lines, lines[1:] + [None]):
        end = pos + len(line)
        if nxt is None or not line.strip() or not nxt.strip() or _LINE_END.search(line) or _LINE_START.match(nxt):
            if text[start:end].strip():
                spans.append((start, end))
            start = end + 1
        pos = end + 1
    return spans


def _scan(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Outermost quotation spans (marks included) of the paragraph ``text[a:b]``."""
    stack: list[tuple[str, int]] = []
    spans = []
    for m in _MARKS.finditer(text, a, b):
        i, c = m.start(), m.group()
        p = text[i - 1] if i > a else " "
        n = text[i + 1] if i + 1 < b else " "
        can_open = not n.isspace() and (p.isspace() or p in _OPEN_AFTER)
        can_close = not p.isspace() and (n.isspace() or not n.isalnum())
        if c == "«" or c == "»":  # French sets guillemets off with spaces: « nous restons »
            can_open = can_open or (c == "«" and (p.isspace() or p in _OPEN_AFTER))
            can_close = can_close or (c == "»" and (n.isspace() or not n.isalnum()))
        if can_close and not stack and not spans and not can_open and (c in "”»" or c == '"' and p in ",.!?…"):
            spans.append((a, i + 1))  # a closing mark alone: the quote ran from the paragraph's start
            continue
        if can_close:
            k = next((k for k in range(len(stack) - 1, -1, -1) if c in _CLOSES[stack[k][0]]), None)
            if k is not None and not (can_open and c == stack[k][0] and c not in "\"'”"):
                if k == 0:
                    spans.append((stack[0][1], i + 1))
                del stack[k:]
                continue
        if not can_open or c not in _CLOSES or c == "’":
            continue
        if c == "'" and (not (p.isspace() or p in "([{") or _CLITIC.match(text, i)):
            continue
        closer = _NEEDS_CLOSER.get(c)
        if closer is not None and not closer.search(text, i + 1, b):
            continue
        stack.append((c, i))
    if stack:  # a quote open at the end of its paragraph runs to it (quotes over several paragraphs)
        spans.append((stack[0][1], b))
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations in a text, quotation marks included, in text order.

    Examples
    --------
    >>> t = "He said „we blijven” and 't ging door. The ‘moderate’ rebels' “fight, here."
    >>> [t[a:b] for a, b in quote_spans(t)]
    ['„we blijven”', '‘moderate’', '“fight, here.']
    """
    return [s for a, b in _paragraphs(text) for s in _scan(text, a, b)]


def _word_chars(text: str, a: int, b: int) -> int:
    return len(_WORD_CHAR.findall(text, a, b)) if b > a else 0


def _quote_speakers(text: str, quotes, spans, langs) -> list[str | None]:
    """The speaker of each quote, from the text around it in its first and last sentence."""
    out: list[str | None] = []
    starts = [s for s, _ in spans]
    for qa, qb in quotes:
        first = max(0, _bisect_right(starts, qa) - 1)
        last = max(0, _bisect_right(starts, qb - 1) - 1)
        before, after = text[spans[first][0]:qa] if spans else "", text[qb:spans[last][1]] if spans else ""
        lang = langs[first] if langs else "und"
        ok, who = find_reported(f"{before} “…” {after}", lang)
        if not who:
            m = _COLON_SPEAKER.fullmatch(before.strip())
            who = m.group(1) if m and m.group(1).split()[0].lower() not in NOT_COLON_SPEAKERS else None
        if not who and first > 0 and qa <= spans[first][0] and text[spans[first - 1][0]:spans[first - 1][1]].endswith(":"):
            # "Woods added:" and the quote in the next sentence or paragraph
            ok, who = find_reported(text[spans[first - 1][0]:spans[first - 1][1]], langs[first - 1])
        out.append(who if (ok or who) else None)
    return out


def _bisect_right(values: list[int], x: int) -> int:
    import bisect

    return bisect.bisect_right(values, x)


def _masked(text: str, s: int, e: int, inside: list[tuple[int, int]]) -> str:
    parts, pos = [], s
    for qa, qb in inside:
        parts.append(text[pos:max(pos, qa)])
        parts.append(" “…” ")
        pos = max(pos, qb)
    parts.append(text[pos:e])
    return "".join(parts)


def mark_voices(text: str, spans: Sequence[tuple[int, int]], langs: Sequence[str] | str = "en"
                ) -> list[tuple[str, str | None]]:
    """Voice and speaker of each sentence of one text.

    Parameters
    ----------
    text : str
        A unit's (document's) text.
    spans : sequence of (int, int)
        Sentence offsets into ``text`` in text order (``sentences.start``, ``sentences.end``).
    langs : str or sequence of str
        The language of the text, or of each sentence: English and Dutch
        read reported speech, other languages quotation marks only.

    Returns
    -------
    list of (str, str or None)
        ``(voice, speaker)`` per span, ``voice`` in :data:`VOICES`.

    Examples
    --------
    >>> t = "Volgens de minister blijven we. „Dat is goed,” zei hij. Ik zeg nee."
    >>> mark_voices(t, [(0, 31), (32, 55), (56, 67)], "nl")
    [('reported', 'minister'), ('quote', 'minister'), ('own', None)]
    """
    spans = [(int(s), int(e)) for s, e in spans]
    langs = [langs] * len(spans) if isinstance(langs, str) else [str(x) for x in langs]
    quotes = quote_spans(text)
    speakers = _inherit(text, _quote_speakers(text, quotes, spans, langs), quotes, _paragraphs(text)) if quotes else []
    out: list[tuple[str, str | None]] = []
    named: list[tuple[int, str]] = []
    resolved: dict[int, str | None] = {}  # a quote's pronoun speaker, resolved once at its first sentence
    qi = 0
    for n, ((s, e), lang) in enumerate(zip(spans, langs)):
        while qi < len(quotes) and quotes[qi][1] <= s:
            qi += 1
        inside = [(max(s, qa), min(e, qb), j) for j, (qa, qb) in enumerate(quotes[qi:], qi) if qa < e]
        words = _word_chars(text, s, e)
        quoted = sum(_word_chars(text, a, b) for a, b, _ in inside)
        best = max(inside, key=lambda q: _word_chars(text, q[0], q[1]))[2] if inside else None
        if best is not None and speakers[best] and speakers[best].lower() in PRONOUNS:
            if best not in resolved:
                resolved[best] = _resolve(named, n) if speakers[best].lower() in SINGULAR else None
            quote_speaker = resolved[best]
        else:
            quote_speaker = speakers[best] if best is not None else None
        masked = _masked(text, s, e, [(a, b) for a, b, _ in inside])
        if words and (quoted / words >= QUOTE_SHARE or (quote_speaker and _ATTRIBUTED.search(masked))):
            voice, who = QUOTE, quote_speaker
        else:
            ok, who = find_reported(masked, lang) \
                if lang in REPORTED_LANGUAGES else (False, None)
            if not ok and quoted and quote_speaker:
                ok, who = True, quote_speaker
            voice = REPORTED if ok else OWN
            who = who if ok else None
        if who and who.lower() in PRONOUNS:
            who = _resolve(named, n) if who.lower() in SINGULAR else None
        if who:
            named.append((n, who))
        out.append((voice, who))
    return out


def _resolve(named: list[tuple[int, str]], n: int) -> str | None:
    """The last named speaker at most :data:`PRONOUN_REACH` sentences before sentence n."""
    return named[-1][1] if named and n - named[-1][0] <= PRONOUN_REACH else None


def _inherit(text: str, speakers: list[str | None], quotes, paragraphs) -> list[str | None]:
    """A quote without attribution takes the speaker of the quote before it in the same paragraph,
    when nothing between them names anyone else (``“...,” he said. “...”``)."""
    import bisect

    starts = [a for a, _ in paragraphs]
    para = [bisect.bisect_right(starts, qa) - 1 for qa, _ in quotes]
    out = list(speakers)
    for j in range(1, len(out)):
        gap = _WORD.findall(text, quotes[j - 1][1], quotes[j][0])
        named = [w for w in gap if w[:1].isupper() and w.lower() not in PRONOUNS]
        if out[j] is None and para[j] == para[j - 1] and not named:
            out[j] = out[j - 1]
    return out


def sentence_voices(texts: Sequence[str], unit_of: Sequence[int], starts: Sequence[int], ends: Sequence[int],
                    langs: Sequence[str]) -> tuple[list[str], list[str | None]]:
    """Voice and speaker of every sentence of a sentences table, unit by unit.

    Parameters
    ----------
    texts : sequence of str
        The units' texts.
    unit_of : sequence of int of shape (n_sentences,)
        The unit (index into ``texts``) of each sentence; a unit's sentences are consecutive and in text order.
    starts, ends : sequence of int of shape (n_sentences,)
    langs : sequence of str of shape (n_sentences,)

    Returns
    -------
    voices : list of str, speakers : list of str or None (one per sentence)
    """
    voices: list[str] = []
    speakers: list[str | None] = []
    rows = zip(unit_of, starts, ends, langs)
    for unit, group in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(group)
        text = texts[int(unit)] if isinstance(texts[int(unit)], str) else ""
        for voice, who in mark_voices(text, [(s, e) for _, s, e, _ in group], [g[3] for g in group]):
            voices.append(voice)
            speakers.append(who)
    return voices, speakers


def voice_columns(documents: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``voice`` and ``speaker`` for a sentences table that lacks them (a run written before they existed).

    Returns
    -------
    DataFrame with columns ``voice``, ``speaker``, aligned with ``sentences.index``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Smith said no. Fine."]})
    >>> sents = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 15], "end": [14, 20], "lang": ["en", "en"]})
    >>> voice_columns(docs, sents).values.tolist()
    [['reported', 'Smith'], ['own', None]]
    """
    text_of = dict(zip(documents["doc_id"].astype(str), documents["text"]))
    order = sentences.assign(_d=sentences["doc_id"].astype(str), _s=sentences["start"].astype(int)).sort_values(
        ["_d", "_s"], kind="stable")
    units = list(dict.fromkeys(order["_d"]))
    index = {d: i for i, d in enumerate(units)}
    langs = order["lang"].astype(str).tolist() if "lang" in order.columns else ["en"] * len(order)
    voices, speakers = sentence_voices([text_of.get(d, "") for d in units], [index[d] for d in order["_d"]],
                                       order["start"].astype(int).tolist(), order["end"].astype(int).tolist(), langs)
    out = pd.DataFrame({"voice": voices, "speaker": speakers}, index=order.index).reindex(sentences.index)
    return out.assign(speaker=out["speaker"].astype(object).where(out["speaker"].notna(), None))

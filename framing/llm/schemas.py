"""The answers a language model must give, validated with pydantic, and the check that its quotes are real.

A coding answer is one JSON object::

    {"frames": [{"frame": "conflict", "quote": "passage copied from the text", "voice": "own"}]}

``frame`` must be an id the codebook offered, ``voice`` says whose words
the passage is (``own``: the author's, ``quote``: a direct quotation,
``reported``: someone else's words reported; the vocabulary of
:mod:`framing.voice`). An answer that is not such an object is malformed
(:class:`~framing.llm.client.MalformedAnswer`) and asked again. A quote that
cannot be found in the text -- after folding case, quotation marks and
white space -- is discarded: the frame stays coded, without a passage.

Examples
--------
>>> coding = parse_coding('{"frames": [{"frame": "conflict", "quote": "They  clashed", "voice": "own"}]}',
...                       ["conflict", "moral"])
>>> [(c.frame_id, c.quote, c.start) for c in locate_quotes(coding, "Later, they clashed again.")]
[('conflict', 'they clashed', 7)]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .client import MalformedAnswer

VOICES = ("own", "quote", "reported")
MIN_QUOTE_CHARS = 8
"""A shorter quote ("the", "climate") would be found in almost any text: it shows nothing and is discarded."""
_QUOTE_MARKS = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′"})


class FrameCode(BaseModel):
    """One frame the model says the text uses, the passage that shows it, and whose voice that passage is."""

    model_config = ConfigDict(extra="forbid")
    frame: str
    quote: str
    voice: Literal["own", "quote", "reported"]


class Coding(BaseModel):
    """A whole answer: the frames present (an empty list when none is)."""

    model_config = ConfigDict(extra="forbid")
    frames: list[FrameCode]


def coding_schema(frame_ids: list[str]) -> dict:
    """The JSON schema sent to the server (frame ids as an enum, so a constrained decoder cannot invent one)."""
    return {
        "type": "object",
        "properties": {"frames": {"type": "array", "items": {
            "type": "object",
            "properties": {"frame": {"type": "string", "enum": list(frame_ids)},
                           "quote": {"type": "string"},
                           "voice": {"type": "string", "enum": list(VOICES)}},
            "required": ["frame", "quote", "voice"], "additionalProperties": False}}},
        "required": ["frames"], "additionalProperties": False,
    }


def _json_text(content: str) -> str:
    """The JSON object in an answer, without the Markdown code fence some models put around it."""
    text = content.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, flags=re.S)
    return fenced.group(1) if fenced else text


def parse_coding(content: str, frame_ids: list[str]) -> Coding:
    """Validate an answer against :class:`Coding` and the offered frame ids.

    Raises
    ------
    MalformedAnswer
        Not JSON, not the expected object, or a frame id the codebook did not offer.
    """
    try:
        # strict=False: a raw tab or line break inside a string (llama.cpp's JSON grammar lets them through) is
        # the model's text, not a malformed answer
        data = json.loads(_json_text(content), strict=False)
    except json.JSONDecodeError as exc:
        raise MalformedAnswer(f"it is not valid JSON ({exc.msg} at character {exc.pos})") from None
    try:
        coding = Coding.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the answer"
        raise MalformedAnswer(f"{where}: {first['msg']} (expected {{\"frames\": [{{\"frame\", \"quote\", "
                              "\"voice\"}]}})") from None
    unknown = sorted({c.frame for c in coding.frames} - set(frame_ids))
    if unknown:
        raise MalformedAnswer(f"frame ids {', '.join(unknown)} are not in the codebook; use only "
                              f"{', '.join(frame_ids)}")
    return coding


@dataclass(frozen=True)
class CodedFrame:
    """A frame coded in one text; ``quote`` is the passage as it stands in the text (None when discarded).

    ``start`` / ``end`` are its character offsets in the text that was sent (None without a quote).
    """

    frame_id: str
    voice: str
    quote: str | None
    start: int | None
    end: int | None


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased, with one kind of quotation mark and single spaces; and each character's offset."""
    out, where, space = [], [], False
    for i, ch in enumerate(text.translate(_QUOTE_MARKS)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
        space = False
    return "".join(out), where


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` (case, quotation marks and white space folded); None if nowhere.

    >>> find_quote("“Costs  WILL rise”", 'He said: "costs will rise".')
    (9, 26)
    """
    q, _ = _folded(quote.strip().strip(".…,;:").strip())
    q = q.strip()
    if len(q) < MIN_QUOTE_CHARS:
        return None
    t, where = _folded(text)
    at = t.find(q)
    if at < 0:
        q = q.strip("\"'").strip()  # the model may add or drop the quote's own marks
        at = t.find(q) if len(q) >= MIN_QUOTE_CHARS else -1
    if at < 0:
        return None
    return where[at], where[at + len(q) - 1] + 1


def locate_quotes(coding: Coding, text: str) -> list[CodedFrame]:
    """Each coded frame once (its first answer), with its quote found in ``text`` or discarded."""
    out, seen = [], set()
    for code in coding.frames:
        if code.frame in seen:
            continue
        seen.add(code.frame)
        span = find_quote(code.quote, text)
        if span is None:
            out.append(CodedFrame(code.frame, code.voice, None, None, None))
        else:
            out.append(CodedFrame(code.frame, code.voice, text[span[0]:span[1]], span[0], span[1]))
    return out

"""Reported speech and its speaker, per language: the word lists and patterns :mod:`framing.voice` uses.

A sentence is *reported speech* when it holds a reporting verb with a
subject that is not the writer ("X said that", "X told reporters", "said X",
"X claimed", Dutch "zei", "verklaarde", "liet weten" ...) or a phrase that
attributes what follows ("according to X", "volgens X", "aldus X",
"reportedly", "naar verluidt"). The speaker is the noun phrase next to it:
capitalised names with their titles and roles ("Russian Foreign Ministry
spokeswoman Maria Zakharova"), or a role noun with its modifiers ("the US
military", "de minister"); a pronoun is kept as a pronoun here (the caller
may resolve it). Rules exist for :data:`REPORTED_LANGUAGES`; other languages
get quotation marks only.

Examples
--------
>>> find_reported("Russian Foreign Ministry spokeswoman Maria Zakharova said the US stays.", "en")
(True, 'Russian Foreign Ministry spokeswoman Maria Zakharova')
>>> find_reported("Dat zei premier Rutte dinsdag in Den Haag.", "nl")
(True, 'premier Rutte')
>>> find_reported("That said, the war goes on.", "en")
(False, None)
"""

from __future__ import annotations

import re

REPORTED_LANGUAGES = ("en", "nl")
"""Languages with reported-speech rules; in every other language only quotation marks mark a voice."""

_EN_VERBS = frozenset("""
said says say told tells claimed claims claim stated states added adds noted notes announced announces
reported reports explained explains argued argues insisted insists warned warns denied denies confirmed confirms
alleged alleges asserted asserts declared declares maintained maintains stressed stresses emphasized emphasised
emphasizes emphasises wrote writes tweeted tweets admitted admits acknowledged acknowledges vowed vows accused
accuses urged urges replied replies responded responds commented comments remarked revealed reveals disclosed
contended contends countered conceded concedes boasted complained complains asked asks
""".split())
_NL_VERBS = frozenset("""
zei zeiden zegt zeggen gezegd verklaarde verklaarden verklaart verklaard meldt meldde meldden gemeld benadrukte
benadrukt benadrukten beweert beweerde beweerden beweren beweerd schreef schreven schrijft vertelde vertelden vertelt
waarschuwde waarschuwt waarschuwden ontkende ontkent ontkenden bevestigde bevestigt bevestigden erkende erkent
tweette twitterde betoogde betoogt reageerde antwoordde concludeerde dreigde eiste eist vroeg vraagt
""".split())
_NL_SAY_THAT = frozenset({"stelt", "stelde", "stelden"})  # also "sets/asks": only before "dat" or ":"
_NL_LET_KNOW = re.compile(r"\b(liet|laat|lieten|laten)\b(?:\s+\S+){0,3}?\s+weten\b", re.IGNORECASE)
_EN_PHRASES = re.compile(r"\b(?:quoted as saying|in a statement|reportedly|it is claimed|it was reported"
                         r"|is said to|are said to|was said to|were said to)\b", re.IGNORECASE)
_NL_PHRASES = re.compile(r"\b(?:naar verluidt|zou hebben gezegd|citeert|citeerde)\b", re.IGNORECASE)

FIRST_PERSON = frozenset("i we me us i've we've i'd we'd i'll we'll i'm we're ik wij we me mij ons".split())
PRONOUNS = frozenset("he she they it hij zij ze het".split())
# A reporting verb right after one of these is not someone else's speech ("that said", "to say", "would say").
_NOT_AFTER = frozenset("""
that having to would could should might must can will may shall let let's lets be been being is was are were not
as what which wat dat het the a an this these those i've you've kan kun kunnen moet moeten zal zullen wil willen
mag mogen te zou zouden
""".split())
_ADVERBS = frozenset("""
also later then just previously repeatedly recently again earlier once publicly openly already further today
yesterday ook eerder vandaag gisteren nog daarna later eerder al
""".split())
ROLE_NOUNS = frozenset("""
spokesman spokeswoman spokesperson official officials minister ministers president premier prime chancellor
government ministry military army police commander commanders general generals source sources analyst analysts
expert experts observers residents witnesses activists report reports statement media agency agencies newspaper
paper group coalition monitor spokespeople authorities authority officer officers diplomat diplomats envoy
ambassador secretary senator lawmakers lawmaker leader leaders embassy department administration office council
experts critics people study researchers scientists journalist journalists correspondent reporter website
channel outlet militia forces force fighters rebels opposition party parliament committee ceo chief head
woordvoerder woordvoerster minister ministerie regering kabinet leger politie bronnen bron deskundigen deskundige
krant zender president premier commandant generaal ambassadeur onderzoekers deskundigen critici mensen rapport
verklaring persbureau militairen
""".split())
_MODIFIERS = frozenset("""
senior top former local foreign defense defence military state interior deputy chief high-ranking ranking
unnamed anonymous official press regional national federal russian american iranian syrian iraqi israeli
""".split())
_DETERMINERS = frozenset("the a an de het een this that these those die deze".split())
_POSSESSIVES = frozenset("my his her their its our your mijn zijn haar hun onze ons jouw uw".split())
_REFLEXIVE = frozenset("itself himself herself themselves zelf zichzelf".split())
_AUX = frozenset("have has had heeft hebben hadden".split())
_AMBIGUOUS = frozenset("states reports claims notes comments tweets remarks replies declared declares".split())
"""Verb forms that are often nouns or acts ("declared a state of emergency"): reporting verbs only before
"that" or a colon ("declared" also right after a quote or comma: "...,” he declared")."""
_TOLD = frozenset("told tells vertelde vertelt".split())
_CONNECTORS = frozenset("of for to van voor at bij".split())
_NOT_NAMES = frozenset("""
the a an but and or so yet however meanwhile then on in at by for if when while after before since as also
monday tuesday wednesday thursday friday saturday sunday yesterday today tonight earlier later last this that
there here it he she they we i you de het een maar en of dus toen dan op in bij na voor sinds als ook dat dit
er hier hij zij ze wij ik jij gisteren vandaag maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
""".split())
NOT_COLON_SPEAKERS = frozenset("zie see lees read note nb update recall bron source edit ps p.s. pdf".split())
"""Capitalised words before a colon that do not introduce someone's words ("Zie: ...", "Update: ...")."""
_NOT_SPEAKERS = frozenset("plan schedule rules regels law wet mij me ons mijn my our us jou you".split())
_EDGE = "\"'“”„«»‘’‚()[]{}.,;:!?…—–-"
_TOKEN = re.compile(r"\S+")


def _bare(token: str) -> str:
    return token.strip(_EDGE)


def _is_cap(word: str) -> bool:
    """A word of a name: capitalised ("Lavrov", "US"), or a particle before one ("al-Asad", "bin-Salman")."""
    if not word or word.lower() in _NOT_NAMES:
        return False
    return word[0].isupper() or ("-" in word and word.split("-")[-1][:1].isupper())


def _np_word(word: str, have_role: bool) -> bool:
    low = word.lower()
    return _is_cap(word) or low in ROLE_NOUNS or (have_role and low in _MODIFIERS) or "’s" in low or "'s" in low


def _clean(words: list[str]) -> str | None:
    while words and (words[0].lower() in _DETERMINERS or words[0].lower() in _CONNECTORS):
        words = words[1:]
    while words and (words[-1].lower() in _DETERMINERS or words[-1].lower() in _CONNECTORS):
        words = words[:-1]
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in _NOT_SPEAKERS:
        return None
    return " ".join(words)


def _np_before(tokens: list[str], j: int) -> str | None:
    """The noun phrase ending at token j ("Russian Foreign Ministry spokeswoman Maria Zakharova", "the article")."""
    words: list[str] = []
    have_role = lower_head = closed = False
    first = j
    while j >= 0 and len(words) < 10:
        token, word = tokens[j], _bare(tokens[j])
        low = word.lower()
        if j < first and token[-1:] in ",;:.!?)\"”’»":
            break
        if _np_word(word, have_role):
            have_role = have_role or low in ROLE_NOUNS
            words.insert(0, word)
        elif j == first and word.isalpha() and word.islower() and low not in _NOT_NAMES | _NOT_AFTER | _CONNECTORS:
            have_role = lower_head = True  # "the article says", "the Russian side noted": a head noun
            words.insert(0, word)
        elif low in _CONNECTORS and words and j > 0 and (_np_word(_bare(tokens[j - 1]), True)
                                                          or _bare(tokens[j - 1]).lower() in _DETERMINERS):
            words.insert(0, word)
        elif low in _DETERMINERS | _POSSESSIVES and words:
            if j > 0 and _bare(tokens[j - 1]).lower() in _CONNECTORS:
                words.insert(0, word)
            else:
                closed = True
                break
        else:
            break
        j -= 1
    if lower_head and not closed and not any(_is_cap(w) or w.lower() in ROLE_NOUNS for w in words):
        return None  # a lone lowercase word is not a subject ("rustig stellen", "towards alleged")
    return _clean(words)


def _subject_before(tokens: list[str], k: int) -> tuple[bool, str | None]:
    """(a subject stands before the verb at k, its noun phrase); first person and idioms give (False, None)."""
    j = k - 1
    while j >= 0 and _skippable(tokens[j]):
        j -= 1
    if j < 0:
        return False, None
    token, prev = tokens[j], _bare(tokens[j])
    low = prev.lower()
    if not prev or token[-1:] in ",:;—–\"”’»":
        return False, None  # "..., said X": the subject, if any, follows
    if low in FIRST_PERSON or low in _NOT_AFTER or low in _REFLEXIVE:
        return False, None
    if low in PRONOUNS or low == "you":
        return True, low
    if low in ("who", "die") and j > 0 and tokens[j - 1].endswith(","):
        return _after_comma(tokens, j - 1)  # "Lavrov, who said ...": the name before the comma
    who = _np_before(tokens, j)
    return (who is not None), who


def _after_comma(tokens: list[str], c: int) -> tuple[bool, str | None]:
    """The noun phrase ending at token c, which ends with a comma."""
    who = _np_before(tokens[:c] + [tokens[c].rstrip(",")], c)
    return (who is not None), who


def _appositive(tokens: list[str], k: int) -> str | None:
    """"Chris Woods, director of Airwars, told ...": the phrase before the comma that opens the appositive."""
    for c in range(k - 2, max(-1, k - 12), -1):
        if tokens[c].endswith(","):
            head = _after_comma(tokens, c)[1]
            inner = _after_comma(tokens, k - 1)[1]  # "one senator, Arizona's John McCain, said": the name inside
            named = [w for w in (head, inner) if w and any(_is_cap(x) for x in w.split())]
            return named[0] if named else head
    return None


def _skippable(token: str) -> bool:
    low = _bare(token).lower()
    return not token.endswith(",") and (low in _ADVERBS or low in _AUX or (low.endswith("ly") and len(low) > 4))


def _phrase_after(tokens: list[str], k: int) -> str | None:
    """The noun phrase starting at token k ("the Russian Foreign Ministry", "premier Rutte", "he")."""
    if k >= len(tokens):
        return None
    first = _bare(tokens[k]).lower()
    if first in PRONOUNS:
        return first
    words: list[str] = []
    have_role = False
    j = k
    while j < len(tokens) and len(words) < 8:
        word = _bare(tokens[j])
        low = word.lower()
        if _np_word(word, have_role) or (low in _MODIFIERS and j + 1 < len(tokens)):
            have_role = have_role or low in ROLE_NOUNS
            words.append(word)
        elif low in _DETERMINERS and (not words or words[-1].lower() in _CONNECTORS):
            words.append(word)
        elif word.isalpha() and word.islower() and j + 1 < len(tokens) and j - k < 2 and not tokens[j][-1:] in _EDGE \
                and _bare(tokens[j + 1]).lower() in ROLE_NOUNS | {"group"} or (
                    word.islower() and j + 1 < len(tokens) and _is_cap(_bare(tokens[j + 1])) and low in _MODIFIERS):
            words.append(word)  # "monitoring group Airwars"
        elif low in _CONNECTORS and words and j + 1 < len(tokens):
            words.append(word)
        else:
            break
        if tokens[j][-1:] in _EDGE and tokens[j][-1:] not in "-":
            break  # a comma, a full stop or a closing quote ends the phrase
        j += 1
    return _clean(words)


def _verbs(lang: str) -> frozenset[str]:
    return _EN_VERBS if lang == "en" else _NL_VERBS


def find_reported(text: str, lang: str) -> tuple[bool, str | None]:
    """Whether ``text`` is reported speech in ``lang``, and its speaker when one is named.

    Parameters
    ----------
    text : str
        A sentence (quoted passages may be masked by the caller).
    lang : str
        ISO 639-1 code; languages outside :data:`REPORTED_LANGUAGES` give ``(False, None)``.

    Returns
    -------
    (bool, str or None)
        The speaker is a noun phrase of the text, a lowercase pronoun, or None.

    Examples
    --------
    >>> find_reported("According to the Pentagon, the base was hit.", "en")
    (True, 'Pentagon')
    >>> find_reported("Volgens mij is dat onzin.", "nl")
    (False, None)
    """
    if lang not in REPORTED_LANGUAGES:
        return False, None
    tokens = _TOKEN.findall(text)
    found, speaker = False, None
    for k in range(len(tokens)):
        hit = _attribution(tokens, k, lang) or _reporting_verb(tokens, k, lang)
        if hit is None:
            continue
        found, speaker = True, speaker or hit[1]
        if speaker:
            return True, speaker
    if found:
        return True, speaker
    m = _NL_LET_KNOW.search(text) if lang == "nl" else None
    if m:
        before = _TOKEN.findall(text[:m.start()])
        ok, who = _subject_before(before + ["liet"], len(before))
        if not ok:
            who = _phrase_after(_TOKEN.findall(text[m.end(1):]), 0)
        return (who or "").lower() not in FIRST_PERSON, who
    phrases = _EN_PHRASES if lang == "en" else _NL_PHRASES
    return (True, None) if phrases.search(text) else (False, None)


def _attribution(tokens: list[str], k: int, lang: str) -> tuple[bool, str | None] | None:
    """"according to X", "volgens X", "aldus X" at token k: (True, X); None when not one ("volgens mij")."""
    low = _bare(tokens[k]).lower()
    if lang == "nl" and low in ("volgens", "aldus"):
        at = k + 1
    elif lang == "en" and low == "according" and k + 1 < len(tokens) and _bare(tokens[k + 1]).lower() == "to":
        at = k + 2
    else:
        return None
    nxt = _bare(tokens[at]).lower() if at < len(tokens) else ""
    if nxt in FIRST_PERSON or nxt in _NOT_SPEAKERS:
        return None
    return True, _phrase_after(tokens, at)


def _reporting_verb(tokens: list[str], k: int, lang: str) -> tuple[bool, str | None] | None:
    """A reporting verb at token k with a subject that is not the writer: (True, speaker or None); else None."""
    token = tokens[k]
    low = _bare(token).lower()
    say_that = lang == "nl" and low in _NL_SAY_THAT and k + 1 < len(tokens) and (
        _bare(tokens[k + 1]).lower() == "dat" or token.endswith(":"))
    if low not in _verbs(lang) and not say_that:
        return None
    after_quote = k > 0 and tokens[k - 1][-1:] in ",”\"’" or k >= 2 and tokens[k - 2][-1:] in ",”\"’"
    if low in _AMBIGUOUS and not (token.endswith(":") or k + 1 < len(tokens) and _bare(tokens[k + 1]).lower() == "that"
                                  or low.startswith("declare") and after_quote):  # "...,” he declared
        return None
    ok, who = _subject_before(tokens, k)
    if ok:
        return True, who
    prev_token = tokens[k - 1] if k else ""
    prev = _bare(prev_token).lower()
    if prev in FIRST_PERSON or prev in _REFLEXIVE or (
            prev in _NOT_AFTER and not (lang == "nl" and prev in ("dat", "dit", "het", "zo"))):
        return None
    who = _phrase_after(tokens, k + 1)  # "..., said X", Dutch "Dat zei X"
    if prev_token.endswith(",") and (who is None or low in _TOLD or who.lower() in PRONOUNS):
        # "X, director of Y, told Z" / "McCain, said he should ...": the subject stands before the appositive
        who = _appositive(tokens, k) or who
    if who is None and prev_token[-1:] not in ",”’\"»":
        return None
    if who is not None and who.lower() in FIRST_PERSON:
        return None
    return True, who

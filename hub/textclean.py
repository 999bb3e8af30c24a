"""Text as the hub keeps it: NFC-normalised, with no character XML cannot carry.

Every way in (forms, query parameters, imported files) passes text through
`clean_text`, so a title holding U+0001 never reaches the Atom feed or
OAI-PMH (lxml refuses such a character, and one stored title would break the
feed for every reader), and a decomposed ``équité`` (e + U+0301) is stored
and searched as the composed one. The XML writers also call `xml_safe` on
what they write, for text stored before this cleaning existed.
"""
from __future__ import annotations

import re
import unicodedata

#: C0 controls except tab and line feed, DEL, C1 controls, lone surrogates,
#: U+FEFF (a stray byte-order mark) and the two non-characters U+FFFE/U+FFFF.
#: Carriage returns are handled apart: CRLF and CR become LF.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
#: What XML 1.0 cannot hold at all (a subset of the above plus CR-free rules).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\n\u2028\u2029\x85]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """`value` NFC-normalised, without control or XML-illegal characters.

    A one-line field (title, name, query) also has its line breaks and tabs
    turned into spaces: a line break in a title would otherwise end up in a
    mail's Subject header."""
    if not value:
        return value
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    else:
        value = _LINE_BREAKS.sub(" ", value).replace("\t", " ")
    if not value.isascii() or _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
        value = unicodedata.normalize("NFC", value)
    return value


def needs_cleaning(value: str, *, multiline: bool = True) -> bool:
    """Whether `clean_text` would remove or replace characters (not merely
    recompose accents): the cases worth telling the person about."""
    if not value:
        return False
    if _INVISIBLE.search(value):
        return True
    return not multiline and bool(_LINE_BREAKS.search(value) or "\t" in value)


def xml_safe(value: str | None) -> str:
    """`value` without the characters XML 1.0 forbids, for the XML writers."""
    if not value:
        return value or ""
    return _XML_ILLEGAL.sub("", value)

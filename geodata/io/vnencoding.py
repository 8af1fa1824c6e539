"""Legacy Vietnamese 8-bit encodings still found in old DBF files: TCVN3 (ABC) and VNI Windows, to Unicode.

No maintained PyPI package converts these (checked: only VNI *typing* converters and document loaders), so
the tables are written out here. Text is first decoded as Latin-1 (byte n -> code point n), then mapped.
TCVN3 has precomposed lowercase letters only (capitals with tone marks were drawn with a separate "H" font
using the same bytes), so toned capitals come out lowercase: that is the encoding's limit, not ours.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3: groups of (base letter, then its grave, acute, hook, tilde, dot-below forms), as Latin-1 characters.
_TCVN3_GROUPS = {
    "a": "µ¸¶·¹",
    "ă": "»¾¼½Æ",
    "â": "ÇÊÈÉË",
    "e": "ÌÐÎÏÑ",
    "ê": "ÒÕÓÔÖ",
    "i": "×ÝØÜÞ",
    "o": "ßãáâä",
    "ô": "åèæçé",
    "ơ": "êíëìî",
    "u": "ïóñòô",
    "ư": "õøö÷ù",
    "y": "úýûüþ",
}
_TCVN3_SINGLE = {
    "¨": "ă",
    "©": "â",
    "ª": "ê",
    "«": "ô",
    "¬": "ơ",
    "\xad": "ư",
    "®": "đ",
    "¡": "Ă",
    "¢": "Â",
    "§": "Đ",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
}
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # grave, acute, hook above, tilde, dot below


def _tcvn3_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _TCVN3_SINGLE.items()}
    for base, forms in _TCVN3_GROUPS.items():
        for char, tone in zip(forms, _TONES):
            table[ord(char)] = unicodedata.normalize("NFC", base + tone)
    return table


TCVN3_TABLE = _tcvn3_table()

# VNI Windows: a base letter followed by one mark byte (lowercase and capital forms of each mark).
_VNI_TONE = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _both_cases(marks: dict[str, str]) -> dict[str, str]:
    return {**marks, **{k.upper(): v for k, v in marks.items()}}


_TONE, _CIRC, _BREVE = _both_cases(_VNI_TONE), _both_cases(_VNI_CIRCUMFLEX), _both_cases(_VNI_BREVE)
_SINGLE = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}
_VNI_PATTERN = re.compile(
    "([aA])([%s])|([aAeEoO])([%s])|([aAeEoOuUyY])([%s])|([ôÔöÖ])([%s])?|([%s])"
    % (
        re.escape("".join(_BREVE)),
        re.escape("".join(_CIRC)),
        re.escape("".join(_TONE)),
        re.escape("".join(_TONE)),
        re.escape("".join(k for k in _SINGLE if k not in "ôÔöÖ")),
    )
)


def _vni_replace(match: re.Match) -> str:
    groups = match.groups()
    if groups[0]:  # a + breve mark
        return unicodedata.normalize("NFC", groups[0] + "\u0306" + _BREVE[groups[1]])
    if groups[2]:  # a/e/o + circumflex mark
        return unicodedata.normalize("NFC", groups[2] + "\u0302" + _CIRC[groups[3]])
    if groups[4]:  # vowel + tone
        return unicodedata.normalize("NFC", groups[4] + _TONE[groups[5]])
    if groups[6]:  # horn letter, maybe with a tone
        return unicodedata.normalize("NFC", _SINGLE[groups[6]] + (_TONE[groups[7]] if groups[7] else ""))
    return _SINGLE[groups[8]]


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text read as Latin-1 to Unicode (NFC)."""
    return text.translate(TCVN3_TABLE)


def vni_to_unicode(text: str) -> str:
    """Convert VNI Windows text read as Latin-1 to Unicode (NFC)."""
    return _VNI_PATTERN.sub(_vni_replace, text)


LEGACY = {"tcvn3": tcvn3_to_unicode, "abc": tcvn3_to_unicode, "vni": vni_to_unicode}


def legacy_decoder(encoding: str | None):
    """The converter for a legacy encoding name (tcvn3, abc, vni), or None for a codec Python/GDAL knows."""
    return LEGACY.get((encoding or "").strip().lower())

"""Matching the labels people type in their own sheets to the codes the system knows.

Pure Python, no Django. Vietnamese names arrive composed (NFC) or decomposed (NFD, from
some Mac and web tools), with or without diacritics, with administrative prefixes written
out ("Thành phố", "Huyện") or abbreviated ("TP.", "H."), or left off. Each label is folded
to a key in two strengths: `fold` keeps the diacritics (so "Tân An" and "Tấn An" stay
apart) and `fold_plain` drops them (đ→d) for sheets typed without them.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Administrative prefixes, longest first, with their abbreviations. A unit's name in the
# catalogue carries the prefix ("Huyện Cần Đước"); sheets may say "H. Cần Đước" or just
# "Cần Đước". Keys are folded forms.
PREFIXES = (
    "thanh pho", "thi xa", "thi tran", "huyen", "quan", "phuong", "xa", "tinh", "dac khu",
)
ABBREVIATIONS = {
    "tp": "thành phố", "tx": "thị xã", "tt": "thị trấn", "h": "huyện", "q": "quận",
    "p": "phường", "x": "xã",
}
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s.]")
_ABBREVIATION = re.compile(r"^(tp|tx|tt|h|q|p|x)\s*\.\s*")
# Row numbering: "1.", "2.3.", "II.", "a)". Not a lone "X." or "P.": those are xã, phường.
_NUMBERING = re.compile(r"^(\d+(\.\d+)*[.)]|[IV]+\.|[IVX]{2,}\.|[a-z]\))\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics: "Đức Hòa" → "Duc Hoa"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def _base(text: str) -> str:
    text = _NUMBERING.sub("", nfc(text).strip())
    return _SPACES.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


def _expand(text: str) -> str:
    """The prefix written out: "tp. tân an" → "thành phố tân an" (in folded form)."""
    plain = strip_marks(text)
    match = _ABBREVIATION.match(plain)
    if match is None:
        return text.replace(".", " ").strip()
    rest = text[match.end():]
    return f"{ABBREVIATIONS[match.group(1)]} {rest}".replace(".", " ").strip()


def fold(text: str) -> str:
    """The comparison key of a label: NFC, lower case, prefix expanded, diacritics kept."""
    return _SPACES.sub(" ", _expand(_base(text)))


def fold_plain(text: str) -> str:
    """`fold` without diacritics."""
    return strip_marks(fold(text))


def without_prefix(folded: str) -> str:
    """"huyện cần đước" → "cần đước"; the key a sheet uses when it leaves the prefix off."""
    plain = strip_marks(folded)
    for prefix in PREFIXES:
        if plain.startswith(prefix + " "):
            return folded[len(prefix) + 1:].strip()
    return folded


def keys(text: str) -> list[str]:
    """Every key a label can be found under, strongest first."""
    folded = fold(text)
    bare = without_prefix(folded)
    found = [folded, bare, strip_marks(folded), strip_marks(bare)]
    return list(dict.fromkeys(key for key in found if key))


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    name: str
    exact: bool  # matched with diacritics; False when only the plain form matched


class LabelIndex:
    """Find codes by label. Built from (code, name, extra names) triples; a label that
    matches several codes equally well is ambiguous and gets every candidate."""

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        self._by_key: dict[str, dict[str, tuple[int, Candidate]]] = {}
        for code, name, extra in entries:
            self._add(code.lower(), 0, Candidate(code, name, True))
            for label in (name, *extra):
                for rank, key in enumerate(keys(label)):
                    exact = key == fold(label) or key == without_prefix(fold(label))
                    self._add(key, rank + 1, Candidate(code, name, exact))

    def _add(self, key: str, rank: int, candidate: Candidate) -> None:
        bucket = self._by_key.setdefault(key, {})
        known = bucket.get(candidate.code)
        if known is None or rank < known[0]:
            bucket[candidate.code] = (rank, candidate)

    def find(self, label: str) -> list[Candidate]:
        """Candidates for `label`, best first; [] when nothing matches."""
        text = nfc(label).strip()
        if not text:
            return []
        direct = self._by_key.get(text.lower())
        if direct:
            return [c for _rank, c in sorted(direct.values(), key=lambda pair: pair[0])]
        for key in keys(text):
            bucket = self._by_key.get(key)
            if bucket:
                best = min(rank for rank, _c in bucket.values())
                return [c for rank, c in bucket.values() if rank == best]
        return []

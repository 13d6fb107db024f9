"""The blocks of a Decree 30/2020 document that are laid out from the report's parameters,
the same in Word and PDF: the issuing body fitted to its column, the number line, the
signature block.

An issuing body's name is never broken inside a word or inside the place's name: it is set
on one line at 13 pt, else 12 pt (the decree's 12–13 pt), else on two or three lines broken
between words, preferring a break before the place ("ỦY BAN NHÂN DÂN / TỈNH TÂY NINH").
Within a line the words are joined by no-break spaces, so no renderer wraps them again.
"""

from functools import lru_cache
from pathlib import Path

NBSP = "\u00a0"
SIZES = (13.0, 12.5, 12.0)
# Words that begin a place's name in a body's name, or a new part of it ("VÀ"): good
# places to break the line; so is the place after a dash ("SỞ LAO ĐỘNG - / THƯƠNG BINH").
PLACE_WORDS = ("TỈNH", "THÀNH", "XÃ", "PHƯỜNG", "HUYỆN", "QUẬN", "THỊ", "ĐẶC", "VÀ")
DASHES = ("-", "–")
# Liberation Serif has the metrics of Times New Roman (the decree's font).
FONTS = Path("/usr/share/fonts/truetype/liberation2")
FONT_FILES = {
    (True, False): FONTS / "LiberationSerif-Bold.ttf",
    (False, False): FONTS / "LiberationSerif-Regular.ttf",
    (False, True): FONTS / "LiberationSerif-Italic.ttf",
    (True, True): FONTS / "LiberationSerif-BoldItalic.ttf",
}
MM_PER_PT = 25.4 / 72


@lru_cache(maxsize=4)
def _font(bold: bool, italic: bool):
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(FONT_FILES[bold, italic]), 100)
    except (ImportError, OSError):
        return None


def text_width_mm(text: str, size: float, bold: bool = True, italic: bool = False) -> float:
    """The width of `text` set in Times New Roman at `size` pt, in millimetres."""
    font = _font(bold, italic)
    if font is None:  # no font file: a generous average for capitals
        return len(text) * size * 0.72 * MM_PER_PT
    return font.getlength(text) / 100 * size * MM_PER_PT


def fit_lines(text: str, width_mm: float, *, bold: bool = True, italic: bool = False,
              sizes: tuple[float, ...] = SIZES) -> tuple[float, list[str]]:
    """The size and the lines (words joined by no-break spaces) that set `text` within
    `width_mm`: one line at the largest size that fits, else two lines, else three."""
    words = text.split()
    if not words:
        return sizes[0], []
    for size in sizes:
        if text_width_mm(" ".join(words), size, bold, italic) <= width_mm:
            return size, [NBSP.join(words)]
    best = None  # a good break at any size beats any other break
    for size in sizes:
        for cut in range(1, len(words)):
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            widths = (text_width_mm(first, size, bold, italic),
                      text_width_mm(second, size, bold, italic))
            if max(widths) > width_mm:
                continue
            good = words[cut] in PLACE_WORDS or words[cut - 1] in DASHES
            score = (0 if good else 1, -size, abs(widths[0] - widths[1]))
            if best is None or score < best[0]:
                best = (score, cut, size)
    if best is not None:
        _score, cut, size = best
        return size, [NBSP.join(words[:cut]), NBSP.join(words[cut:])]
    size = sizes[-1]
    lines: list[list[str]] = [[]]
    for word in words:  # greedy, at the smallest size; a word is never cut
        if lines[-1] and text_width_mm(" ".join([*lines[-1], word]), size, bold,
                                     italic) > width_mm:
            lines.append([])
        lines[-1].append(word)
    return size, [NBSP.join(line) for line in lines]


def number_text(params: dict) -> str:
    """"05/BC-UBND"; a blank number leaves a visible space for the clerk to write it in
    when the report is registered ("      /BC-UBND", with no-break spaces)."""
    number = str(params.get("number") or "").strip()
    if number.isdigit() and len(number) == 1:
        number = "0" + number  # Decree 30/2020: numbers under 10 get a leading 0
    return f"{number or NBSP * 8}/{params['symbol']}"


def signature_lines(params: dict) -> list[str]:
    """The authority and the title above the signature, in capitals: "TM. ỦY BAN NHÂN DÂN"
    and "CHỦ TỊCH", "KT. GIÁM ĐỐC" and "PHÓ GIÁM ĐỐC", or the title alone ("GIÁM ĐỐC")."""
    return [line.upper() for line in (params.get("signer_authority", ""),
                                      params.get("signer_title", "")) if line]

"""Multidimensional poverty: which standard applies, how a household is classified, and why.

A standard is data (`tiendo/poverty/standards.json`, or a province's higher local standard):
the years it applies to, the income line per person per month for rural and urban areas in
whole đồng, the upper end of the middle-living-standard band where the standard defines one,
the deprivation indicators in their order, and how many deprivations make a household poor.

The rule (Decree 07/2021/NĐ-CP, unchanged by 351/2025): income at or below the line (an
income equal to the line is at or below it) and deprived on at least `poor_min_deprivations`
indicators is poor; at or below the line with fewer is near-poor; above the line and at or
below the band's upper end is middle-income (only where the band is defined); anything else
is not poor. Incomes are integers, so every boundary is exact.

`classify` works on whole columns at once (numpy), `classify_one` on one household; the two
agree (tested), the second is the plain reference.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

NOT_POOR, MIDDLE_INCOME, NEAR_POOR, POOR = 0, 1, 2, 3
CLASSES = ("not_poor", "middle_income", "near_poor", "poor")  # indexed by the codes above
CLASS_LABELS = {
    "vi": ("không nghèo", "mức sống trung bình", "cận nghèo", "nghèo"),
    "en": ("not poor", "middle income", "near-poor", "poor"),
}
AREAS = ("rural", "urban")
FLAG_PREFIX = "d_"


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    vi: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True, slots=True)
class Standard:
    code: str
    name_vi: str
    name_en: str
    first_year: int
    last_year: int
    rural_line: int
    urban_line: int
    rural_middle: int | None
    urban_middle: int | None
    indicators: tuple[Indicator, ...]
    poor_min_deprivations: int = 3

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    @property
    def has_middle_band(self) -> bool:
        return self.rural_middle is not None and self.urban_middle is not None

    @property
    def columns(self) -> list[str]:
        """The file's 0/1 columns, one per indicator, in the standard's order."""
        return [FLAG_PREFIX + indicator.code for indicator in self.indicators]

    def line(self, urban: bool) -> int:
        return self.urban_line if urban else self.rural_line

    def middle(self, urban: bool) -> int | None:
        return self.urban_middle if urban else self.rural_middle

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


def standard_from(data: Mapping) -> Standard:
    """A standard from its data (one entry of standards.json)."""
    middle = data.get("middle") or {}
    return Standard(
        code=data["code"], name_vi=data["name_vi"], name_en=data.get("name_en", data["name_vi"]),
        first_year=int(data["first_year"]), last_year=int(data["last_year"]),
        rural_line=int(data["lines"]["rural"]), urban_line=int(data["lines"]["urban"]),
        rural_middle=int(middle["rural"]) if "rural" in middle else None,
        urban_middle=int(middle["urban"]) if "urban" in middle else None,
        indicators=tuple(Indicator(i["code"], i["vi"], i.get("en", i["vi"]))
                         for i in data["indicators"]),
        poor_min_deprivations=int(data.get("poor_min_deprivations", 3)),
    )


def standard_for_year(standards: Sequence[Standard], year: int) -> Standard | None:
    """The standard that applies to a review year (the first listed, so a province's own
    standard put before the national ones wins), or None."""
    return next((s for s in standards if s.applies_to(year)), None)


def missing_columns(standard: Standard, header: Sequence[str]) -> list[str]:
    """The indicator columns the standard needs and the header lacks, in the standard's
    order."""
    present = set(header)
    return [column for column in standard.columns if column not in present]


@dataclass(frozen=True, slots=True)
class Result:
    classification: int
    deprivation_count: int
    mask: int  # bit i set: deprived on the standard's indicator i

    @property
    def code(self) -> str:
        return CLASSES[self.classification]


def classify_one(standard: Standard, *, urban: bool, income: int, flags: Sequence[int]
                 ) -> Result:
    """One household, in plain Python (the reference for `classify`)."""
    count = 0
    mask = 0
    for index, flag in enumerate(flags):
        if flag:
            count += 1
            mask |= 1 << index
    line = standard.line(urban)
    if income <= line:
        kind = POOR if count >= standard.poor_min_deprivations else NEAR_POOR
    else:
        middle = standard.middle(urban)
        kind = MIDDLE_INCOME if middle is not None and income <= middle else NOT_POOR
    return Result(kind, count, mask)


def classify(standard: Standard, *, urban: np.ndarray, income: np.ndarray, flags: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whole columns: `urban` booleans, `income` integers (đồng), `flags` an (n, k) array of
    0/1 in the standard's indicator order. Returns the class codes (int8), the deprivation
    counts (int8) and the deprivation masks (int32)."""
    flags = np.asarray(flags, dtype=np.uint8)
    mask = np.zeros(len(flags), dtype=np.int32)
    for index in range(flags.shape[1]):  # one pass per indicator, a bit each
        mask |= flags[:, index].astype(np.int32) << index
    count = np.bitwise_count(mask).astype(np.int8)
    income = np.asarray(income, dtype=np.int64)
    urban = np.asarray(urban, dtype=bool)
    lines = np.array([standard.rural_line, standard.urban_line], dtype=np.int64)
    below = income <= lines[urban.view(np.uint8)]
    kind = np.full(len(income), NOT_POOR, dtype=np.int8)
    if standard.has_middle_band:
        middles = np.array([standard.rural_middle, standard.urban_middle], dtype=np.int64)
        kind[~below & (income <= middles[urban.view(np.uint8)])] = MIDDLE_INCOME
    kind[below] = np.where(count[below] >= standard.poor_min_deprivations, POOR, NEAR_POOR)
    return kind, count, mask


def mask_codes(standard: Standard, mask: int) -> list[str]:
    """The codes of the indicators set in a mask, in the standard's order."""
    return [ind.code for i, ind in enumerate(standard.indicators) if mask >> i & 1]


def vnd(amount: int, lang: str = "vi") -> str:
    """Whole đồng grouped the Vietnamese way (1.400.000) or the English way (1,400,000)."""
    text = f"{amount:,}"
    return text.replace(",", ".") if lang != "en" else text


_WORDS = {
    "vi": {
        "income": "Thu nhập", "line": {"rural": "chuẩn nông thôn", "urban": "chuẩn thành thị"},
        "middle": "mức sống trung bình", "none": "không thiếu hụt chỉ số nào",
        "some": "thiếu hụt %(count)s chỉ số: %(names)s", "currency": "đ",
    },
    "en": {
        "income": "Income", "line": {"rural": "the rural line", "urban": "the urban line"},
        "middle": "the middle band", "none": "no deprivation",
        "some": "deprived on %(count)s indicators: %(names)s", "currency": "VND",
    },
}


def explain_parts(standard: Standard, *, urban: bool, kind: int, lang: str = "vi"
                  ) -> tuple[str, str]:
    """The words of an explanation around the income: what comes before the income figure
    and what follows it, up to the deprivations. Shared by every household of the same area
    and class, so a million explanations need only a handful of these."""
    words = _WORDS["en" if lang == "en" else "vi"]
    area = "urban" if urban else "rural"
    line = words["line"][area]
    cur = words["currency"]
    if kind in (POOR, NEAR_POOR):
        rest = f" {cur} ≤ {line} {vnd(standard.line(urban), lang)} {cur}"
    elif kind == MIDDLE_INCOME:
        rest = (f" {cur} > {line} {vnd(standard.line(urban), lang)} {cur}, ≤ {words['middle']} "
                f"{vnd(standard.middle(urban), lang)} {cur}")
    else:
        rest = f" {cur} > {line} {vnd(standard.line(urban), lang)} {cur}"
    return words["income"] + " ", rest


def deprivations_text(standard: Standard, mask: int, lang: str = "vi") -> str:
    """"thiếu hụt 3 chỉ số: bảo hiểm y tế, …" for a mask."""
    words = _WORDS["en" if lang == "en" else "vi"]
    names = [ind.label(lang) for i, ind in enumerate(standard.indicators) if mask >> i & 1]
    if not names:
        return words["none"]
    return words["some"] % {"count": len(names), "names": ", ".join(names)}


def explain(standard: Standard, *, urban: bool, income: int, kind: int, mask: int,
            lang: str = "vi") -> str:
    """One household's explanation, one line: "Thu nhập 1.400.000 đ ≤ chuẩn nông thôn
    1.500.000 đ; thiếu hụt 3 chỉ số: bảo hiểm y tế, nhà tiêu hợp vệ sinh, nguồn nước sinh
    hoạt"."""
    before, after = explain_parts(standard, urban=urban, kind=kind, lang=lang)
    return f"{before}{vnd(income, lang)}{after}; {deprivations_text(standard, mask, lang)}"


_POWERS = 10 ** np.arange(1, 19, dtype=np.int64)  # 10 … 10**18
_WIDTH = 19 + 6  # the digits of the largest int64 and their separators


def grouped_digits(values: np.ndarray, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative integers written with their thousands grouped by `separator` (one ASCII
    character), f"{value:,}" with the comma replaced, without a Python object per value:
    the bytes of every figure one after the other and the int32 offsets of each."""
    values = np.asarray(values, dtype=np.int64)
    if len(separator) != 1 or not separator.isascii():
        raise ValueError("the separator must be one ASCII character")
    if len(values) and values.min() < 0:
        raise ValueError("negative values are not grouped here")
    digits = 1 + np.searchsorted(_POWERS, values, side="right")
    length = digits + (digits - 1) // 3
    # Right-aligned in a fixed-width table: digit j (from the right) at j + j // 3 from the
    # right end, a separator every fourth place.
    table = np.full((len(values), _WIDTH), ord(separator), dtype=np.uint8)
    rest = values.copy()
    for j in range(19):
        table[:, _WIDTH - 1 - (j + j // 3)] = 48 + rest % 10
        rest //= 10
    keep = (_WIDTH - 1 - np.arange(_WIDTH))[None, :] < length[:, None]
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(length, out=offsets[1:])
    return table[keep], offsets


class Explainer:
    """Explanations for many households, the shared words worked out once."""

    def __init__(self, standard: Standard, lang: str = "vi") -> None:
        self.standard, self.lang = standard, lang
        self._parts: dict[tuple[bool, int], tuple[str, str]] = {}
        self._deprivations: dict[int, str] = {}
        self._codes: dict[int, str] = {}

    def codes(self, mask: int) -> str:
        """"health_insurance;sanitation" for a mask."""
        text = self._codes.get(mask)
        if text is None:
            text = self._codes[mask] = ";".join(mask_codes(self.standard, mask))
        return text

    def parts(self, urban: bool, kind: int, mask: int) -> tuple[str, str]:
        """What comes before a household's income figure and what follows it, the same for
        every household of one (area, class, deprivations): "Thu nhập " and " đ ≤ chuẩn
        nông thôn 1.500.000 đ; thiếu hụt 3 chỉ số: …"."""
        parts = self._parts.get((urban, kind))
        if parts is None:
            parts = self._parts[(urban, kind)] = explain_parts(
                self.standard, urban=urban, kind=kind, lang=self.lang)
        tail = self._deprivations.get(mask)
        if tail is None:
            tail = self._deprivations[mask] = deprivations_text(self.standard, mask, self.lang)
        return parts[0], f"{parts[1]}; {tail}"

    def income(self, income: int) -> str:
        """The income figure of an explanation (1.400.000)."""
        grouped = f"{income:,}"
        return grouped.replace(",", ".") if self.lang != "en" else grouped

    @property
    def separator(self) -> str:
        """The character grouping the thousands of an income figure."""
        return "." if self.lang != "en" else ","

    def incomes(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`income` for a whole column of incomes at once (whole đồng, none negative), in
        numpy: the UTF-8 bytes of the figures one after the other, and where each starts
        and ends (int32 offsets, one more than the values)."""
        return grouped_digits(values, self.separator)

    def __call__(self, urban: bool, income: int, kind: int, mask: int) -> str:
        before, after = self.parts(urban, kind, mask)
        return f"{before}{self.income(income)}{after}"


@dataclass(frozen=True, slots=True)
class Transitions:
    """Poor households of a unit from one review to the next, matched by household id:
    start + new + fell_in − left − gone = end."""

    start: int
    new: int
    fell_in: int
    left: int
    gone: int
    end: int

    @property
    def balanced(self) -> bool:
        return self.start + self.new + self.fell_in - self.left - self.gone == self.end


def transitions(before: Mapping[str, int], after: Mapping[str, int]) -> Transitions:
    """The transitions between two reviews given as {household id: class code} (the
    reference the SQL of the review store is tested against)."""
    start = sum(1 for kind in before.values() if kind == POOR)
    end = sum(1 for kind in after.values() if kind == POOR)
    new = fell = left = gone = 0
    for household, kind in after.items():
        previous = before.get(household)
        if kind == POOR and previous is None:
            new += 1
        elif kind == POOR and previous != POOR:
            fell += 1
        elif kind != POOR and previous == POOR:
            left += 1
    for household, kind in before.items():
        if kind == POOR and household not in after:
            gone += 1
    return Transitions(start, new, fell, left, gone, end)

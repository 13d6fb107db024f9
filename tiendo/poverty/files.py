"""Household files (CSV, .xlsx) read in chunks into numpy columns, with located problems.

No database here: `tiendo poverty classify` runs on a file alone, and the review import
(`services.review_import`) reads through the same functions. A chunk holds at most
CHUNK rows, so memory stays bounded whatever the file's size.
"""

import csv
import io
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from tiendo.errors import InvalidInput, Problem, text_problems
from tiendo.lib.poverty import (
    CLASSES,
    Explainer,
    Standard,
    classify,
    missing_columns,
    standard_for_year,
    standard_from,
)
from tiendo.lib.text import CONTROL

CHUNK = 200_000
REQUIRED = ("household_id", "commune", "area", "members", "income_per_capita")
STANDARDS_FILE = Path(__file__).with_name("standards.json")


@cache
def national_standards() -> tuple[Standard, ...]:
    """The national standards of standards.json, in their order."""
    data = json.loads(STANDARDS_FILE.read_text(encoding="utf-8"))
    return tuple(standard_from(entry) for entry in data["standards"])


def standard_named(code: str, standards=None) -> Standard:
    for standard in standards or national_standards():
        if standard.code == code:
            return standard
    raise InvalidInput([Problem(_("unknown poverty standard"), field="standard", value=code)])


def _open_rows(data: bytes | Path, name: str) -> Iterator[list]:
    """The file's rows as lists (the header first)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(data if isinstance(data, Path) else io.BytesIO(data),
                             read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield ["" if cell is None else (str(int(cell)) if isinstance(cell, float)
                       and cell.is_integer() else str(cell)) for cell in row]
        finally:
            book.close()
        return
    stream = (open(data, encoding="utf-8-sig", newline="") if isinstance(data, Path)
              else io.StringIO(data.decode("utf-8-sig"), newline=""))
    with stream:
        yield from csv.reader(stream)


@dataclass(slots=True)
class Chunk:
    """Columns of up to CHUNK rows. `ok` marks the rows without problems."""

    lines: np.ndarray
    household_id: list[str]
    commune: list[str]
    name: list[str] | None
    urban: np.ndarray
    members: np.ndarray
    income: np.ndarray
    year: np.ndarray
    flags: np.ndarray  # (n, k) uint8 in the standard's order
    ok: np.ndarray


def _ints(values, lines, column: str, problems: list[Problem], *, minimum: int | None = 0
          ) -> tuple[np.ndarray, np.ndarray]:
    """A column of whole numbers, fast when all are plain digits; the bad ones located."""
    good = np.ones(len(values), dtype=bool)
    try:
        # Plain digits, the common case: parsed in C from one joined string; anything else
        # (a sign, a space, a letter) and the count differs, or the slow path finds it.
        text = ",".join(values)
        if not text.replace(",", "").isdigit():
            raise ValueError
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            array = np.fromstring(text, dtype=np.int64, sep=",")
        if len(array) != len(values):
            raise ValueError
    except (ValueError, OverflowError):
        array = np.zeros(len(values), dtype=np.int64)
        for index, text in enumerate(values):
            try:
                array[index] = int(str(text).strip())
            except (ValueError, OverflowError):
                good[index] = False
                problems.append(Problem(_("not a whole number"), int(lines[index]), column,
                                        str(text)))
    if minimum is not None:
        low = good & (array < minimum)
        for index in np.flatnonzero(low):
            problems.append(Problem(_("must not be negative"), int(lines[index]), column,
                                    str(values[index])))
        good &= ~low
    return array, good


def _flags(values, lines, column: str, problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 column; anything else is a located problem."""
    text = "".join(values)
    if len(text) == len(values):  # every cell one character: the common case
        array = np.frombuffer(text.encode("latin-1", "replace"), dtype=np.uint8) - 48
        good = array <= 1
    else:
        array = np.array([1 if v.strip() == "1" else 0 for v in values], dtype=np.uint8)
        good = np.array([v.strip() in ("0", "1") for v in values], dtype=bool)
    for index in np.flatnonzero(~good):
        problems.append(Problem(_("must be 0 or 1"), int(lines[index]), column, values[index]))
    return np.where(good, array, 0).astype(np.uint8), good


def household_chunks(
    data: bytes | Path, name: str, *, columns_for, year: int | None = None,
    problems: list[Problem], chunk_size: int = CHUNK,
) -> Iterator[tuple[Standard, Chunk]]:
    """The file's households, chunk by chunk, with the standard each chunk is read under.

    `columns_for(year)` gives the standard of a review year. A file whose header lacks a
    column of that standard is refused with the list of what is missing. Rows with problems
    stay in the chunk with `ok` false; their problems go to `problems`."""
    rows = _open_rows(data, name)
    header = [cell.strip().lower() for cell in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if "year" not in header and year is None:
        missing.append("year")
    if missing:
        raise InvalidInput([Problem(_("missing column"), 1, column) for column in missing])
    position = {column: index for index, column in enumerate(header)}
    width = len(header)
    checked: dict[int, Standard] = {}
    buffer: list[list] = []
    buffer_lines: list[int] = []
    for line, row in enumerate(rows, start=2):
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            row = (row + [""] * width)[:width]
        buffer.append(row)
        buffer_lines.append(line)
        if len(buffer) >= chunk_size:
            yield from _chunk(buffer, buffer_lines, position, year, columns_for, checked,
                              header, problems)
            buffer, buffer_lines = [], []
    if buffer:
        yield from _chunk(buffer, buffer_lines, position, year, columns_for, checked, header,
                          problems)


def _chunk(buffer, buffer_lines, position, year, columns_for, checked, header, problems
           ) -> Iterator[tuple[Standard, Chunk]]:
    cols = list(zip(*buffer, strict=True))
    lines = np.array(buffer_lines, dtype=np.int64)

    def col(name):
        return cols[position[name]]

    ok = np.ones(len(buffer), dtype=bool)
    if "year" in position:
        raw_years = [v if v.strip() else (str(year) if year else "") for v in col("year")]
    else:
        raw_years = [str(year)] * len(buffer)
    years, good = _ints(raw_years, lines, "year", problems)
    ok &= good
    area_text = np.array([v.strip().lower() for v in col("area")])
    urban = area_text == "urban"
    good = urban | (area_text == "rural")
    for index in np.flatnonzero(~good):
        problems.append(Problem(_("must be urban or rural"), int(lines[index]), "area",
                                str(col("area")[index])))
    ok &= good
    members, good = _ints(col("members"), lines, "members", problems)
    ok &= good
    income, good = _ints(col("income_per_capita"), lines, "income_per_capita", problems)
    ok &= good
    household_id = [v.strip() for v in col("household_id")]
    commune = [v.strip() for v in col("commune")]
    for index, (hid, code) in enumerate(zip(household_id, commune, strict=True)):
        if not hid or not code:
            problems.append(Problem(_("a value is required"), int(lines[index]),
                                    "household_id" if not hid else "commune"))
            ok[index] = False
    names = list(col("name")) if "name" in position else None
    # Text no database should store (a NUL, another control character): located problems.
    for column, values in (("household_id", household_id), ("commune", commune),
                           ("name", names or ())):
        for index in [i for i, v in enumerate(values) if CONTROL.search(v)]:
            problems.extend(text_problems({column: values[index]}, line=int(lines[index])))
            ok[index] = False
    for value in np.unique(years[ok]) if ok.any() else []:
        value = int(value)
        if value not in checked:
            standard = columns_for(value)
            absent = missing_columns(standard, header)
            if absent:
                raise InvalidInput([Problem(
                    _("missing column for the standard %(code)s") % {"code": standard.code},
                    1, column) for column in absent])
            checked[value] = standard
    groups = {}
    for value in (np.unique(years) if len(years) else []):
        value = int(value)
        standard = checked.get(value) or next(iter(checked.values()), None)
        if standard is None:
            continue
        groups.setdefault(standard.code, (standard, []))[1].append(value)
    for standard, group_years in groups.values():
        select = np.isin(years, group_years)
        index = np.flatnonzero(select)
        flags = np.zeros((len(index), len(standard.indicators)), dtype=np.uint8)
        sub_ok = ok[index].copy()
        sub_lines = lines[index]
        for k, column in enumerate(standard.columns):
            values = [cols[position[column]][i] for i in index] if len(index) != len(buffer) \
                else cols[position[column]]
            flags[:, k], good = _flags(values, sub_lines, column, problems)
            sub_ok &= good
        pick = index.tolist()
        yield standard, Chunk(
            lines=sub_lines,
            household_id=household_id if len(pick) == len(buffer) else [household_id[i]
                                                                           for i in pick],
            commune=commune if len(pick) == len(buffer) else [commune[i] for i in pick],
            name=(names if len(pick) == len(buffer) else [names[i] for i in pick])
            if names is not None else None,
            urban=urban[index], members=members[index], income=income[index],
            year=years[index], flags=flags, ok=sub_ok,
        )


OUTPUT_COLUMNS = ["household_id", "classification", "deprivation_count", "deprivations",
                  "standard", "explanation"]


def classify_file(data: bytes | Path, name: str, out, *, year: int | None = None,
                  standard: Standard | None = None, lang: str = "vi",
                  chunk_size: int = CHUNK) -> int:
    """Classify a household file into `out` (a text stream) without any database: the
    standard is the one named, or the one of each row's year. Returns the number of
    households; raises InvalidInput (nothing useful written) when a row is wrong."""
    problems: list[Problem] = []

    def columns_for(value: int) -> Standard:
        if standard is not None:
            return standard
        found = standard_for_year(national_standards(), value)
        if found is None:
            raise InvalidInput([Problem(_("no poverty standard for the year %(year)s")
                                        % {"year": value}, field="year", value=str(value))])
        return found

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    explainers: dict[str, Explainer] = {}
    total = 0
    for used, chunk in household_chunks(data, name, columns_for=columns_for, year=year,
                                        problems=problems, chunk_size=chunk_size):
        if problems:
            continue  # keep reading to locate every problem, write nothing more
        kind, count, mask = classify(used, urban=chunk.urban, income=chunk.income,
                                     flags=chunk.flags)
        explainer = explainers.setdefault(used.code, Explainer(used, lang))
        writer.writerows(
            (hid, CLASSES[k], c, explainer.codes(m), used.code, explainer(u, i, k, m))
            for hid, k, c, m, u, i in zip(chunk.household_id, kind.tolist(), count.tolist(),
                                          mask.tolist(), chunk.urban.tolist(),
                                          chunk.income.tolist(), strict=True))
        total += len(kind)
    if problems:
        raise InvalidInput(problems)
    return total

"""Household files (CSV, .xlsx) read in chunks into numpy columns, with located problems.

No database here: `tiendo poverty classify` runs on a file alone, and the review import
(`services.review_import`) reads through the same functions. A chunk holds at most
CHUNK rows, so memory stays bounded whatever the file's size.
"""

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from tiendo.errors import InvalidInput, Problem, text_problems
from tiendo.language import current_lang
from tiendo.lib.numbers import format_number
from tiendo.lib.poverty import (
    CLASSES,
    FLAG_PREFIX,
    Explainer,
    Standard,
    classify,
    deprivations_text,
    explain_parts,
    missing_columns,
    standard_for_year,
    standard_from,
)
from tiendo.lib.text import CONTROL, FORMULA_STARTS, neutralise

CHUNK = 200_000
REQUIRED = ("household_id", "commune", "area", "members", "income_per_capita")
HOUSEHOLD_ID_MAX = 64  # characters a household's id and name may have (the table's columns)
NAME_MAX = 255
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
        # The uploads' opener: a damaged file, or one that would unpack too large, is refused
        # with a problem.
        from tiendo.exchange.files import open_workbook

        with open(data, "rb") if isinstance(data, Path) else io.BytesIO(data) as stream:
            book = open_workbook(stream, data_only=True)
            try:
                for row in book.worksheets[0].iter_rows(values_only=True):
                    yield ["" if cell is None else (str(int(cell)) if isinstance(cell, float)
                           and cell.is_integer() else str(cell)) for cell in row]
            finally:
                book.close()
        return
    try:
        with (open(data, encoding="utf-8-sig", newline="") if isinstance(data, Path)
              else io.StringIO(data.decode("utf-8-sig"), newline="")) as stream:
            yield from csv.reader(stream)
    except UnicodeDecodeError:
        raise InvalidInput([Problem(_(
            "the file is neither a CSV text file in UTF-8 nor an Excel workbook (.xlsx): in "
            "Excel, save it as \"CSV UTF-8\" or as a workbook"))]) from None


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
    # Longer than the table keeps: refused, never cut (nor left to the database to refuse).
    for column, values, longest in (("household_id", household_id, HOUSEHOLD_ID_MAX),
                                    ("name", names or (), NAME_MAX)):
        for index in [i for i, v in enumerate(values) if len(v) > longest]:
            problems.append(Problem(
                _("at most %(count)s characters (this one has %(length)s)") % {
                    "count": longest,
                    "length": format_number(len(values[index]), 0, current_lang())},
                int(lines[index]), column, values[index][:40]))
            ok[index] = False
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
                  chunk_size: int = CHUNK, fast: bool = True) -> int:
    """Classify a household file into `out` (a text stream) without any database: the
    standard is the one named, or the one of each row's year. Returns the number of
    households; raises InvalidInput (nothing useful written) when a row is wrong.

    A CSV goes through `_classify_csv_fast` (columns in C, texts per distinct combination);
    anything that fast path does not accept as plainly right, it hands back to the precise
    reader below, which locates every problem with its line and column."""
    problems: list[Problem] = []

    def columns_for(value: int) -> Standard:
        if standard is not None:
            return standard
        found = standard_for_year(national_standards(), value)
        if found is None:
            raise InvalidInput([Problem(_("no poverty standard for the year %(year)s")
                                        % {"year": value}, field="year", value=str(value))])
        return found

    if fast and not name.lower().endswith(".xlsx"):
        try:
            return _classify_csv_fast(data, out, year=year, columns_for=columns_for,
                                      lang=lang, chunk_size=chunk_size)
        except _Slow as slow:
            if slow.lines:  # already written: the precise path writes the same bytes again
                out = _SkipLines(out, slow.lines)
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
            (neutralise(hid), CLASSES[k], c, explainer.codes(m), used.code,
             explainer(u, i, k, m))
            for hid, k, c, m, u, i in zip(chunk.household_id, kind.tolist(), count.tolist(),
                                          mask.tolist(), chunk.urban.tolist(),
                                          chunk.income.tolist(), strict=True))
        total += len(kind)
    if problems:
        raise InvalidInput(problems)
    return total


class _Slow(Exception):
    """The fast path met a cell it does not accept as plainly right (a problem to locate, or
    only an unusual spelling such as " Urban"): the precise reader starts again. `lines` is
    how many output lines were already written."""

    def __init__(self, lines: int = 0) -> None:
        super().__init__(lines)
        self.lines = lines


class _SkipLines:
    """A text stream that drops the first `lines` lines written to it."""

    def __init__(self, out, lines: int) -> None:
        self.out, self.skip = out, lines

    def write(self, text: str) -> int:
        size = len(text)
        while self.skip and text:
            cut = text.find("\n")
            if cut < 0:
                return size
            text = text[cut + 1:]
            self.skip -= 1
        if text:
            self.out.write(text)
        return size


_NEEDS_QUOTES = re.compile('[,"\r\n]').search


def _csv_field(text: str) -> str:
    """A value as Python's csv writer (QUOTE_MINIMAL, ",", '"') writes it."""
    if _NEEDS_QUOTES(text):
        return '"' + text.replace('"', '""') + '"'
    return text


# The control characters of tiendo.lib.text.CONTROL as an RE2 class.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
FAST_BLOCK = 1 << 22  # bytes per record batch parsed (measured: 4 MB parses faster than 16)
FILE_BLOCK = 1 << 24  # bytes of a file read at a time
_FEW = ("area", "commune", "year")  # read dictionary-encoded: checked once per distinct value


def _decoded(column) -> tuple[list[str], np.ndarray]:
    """A dictionary-encoded column as its distinct texts and each row's index into them."""
    array = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    return array.dictionary.to_pylist(), array.indices.to_numpy(zero_copy_only=False)


def _plain(text: str) -> bool:
    """Neither empty, nor with white space to strip, nor with a control character."""
    return bool(text) and text == text.strip() and not CONTROL.search(text)


def _text_bytes(column) -> tuple[np.ndarray, np.ndarray]:
    """A text column's UTF-8 bytes and offsets, as numpy views."""
    array = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    _validity, offsets, values = array.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32, count=len(array) + 1,
                            offset=array.offset * 4)
    values = np.frombuffer(values, dtype=np.uint8) if values is not None and len(values) \
        else np.zeros(0, np.uint8)
    return values, offsets


def _longest(column) -> int:
    """The most characters of any cell of a text column (0 when it has none)."""
    from pyarrow import compute as pc

    longest = pc.max(pc.utf8_length(column)).as_py() if len(column) else None
    return longest or 0


def _plain_column(column) -> bool:
    """`_plain` for every cell, looking at bytes only: no cell empty, no ASCII control
    character anywhere, no space or non-ASCII byte at either end of a cell (which might be
    Unicode white space; the precise path decides those)."""
    values, offsets = _text_bytes(column)
    if not len(offsets) or len(offsets) == 1:
        return True
    if (np.diff(offsets) <= 0).any():
        return False
    used = values[offsets[0]:offsets[-1]]
    if ((used < 0x20) | (used == 0x7F)).any():
        return False
    ends = np.concatenate([values[offsets[:-1]], values[offsets[1:] - 1]])
    return not ((ends == 0x20) | (ends >= 0x80)).any()


def _formula_starts(column) -> bool:
    """Some cell starts as a spreadsheet formula would (`FORMULA_STARTS`): the precise path
    writes those neutralised."""
    values, offsets = _text_bytes(column)
    if len(offsets) <= 1:
        return False
    firsts = values[offsets[:-1]]
    return bool(np.isin(firsts, np.frombuffer("".join(FORMULA_STARTS).encode(), np.uint8)).any())


def _header(data: bytes | Path) -> list[str]:
    if isinstance(data, Path):
        with open(data, "rb") as stream:
            first = stream.readline(1 << 20)
    else:
        first = data[:1 << 20].split(b"\n", 1)[0]
    try:
        text = first.removeprefix(b"\xef\xbb\xbf").decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise _Slow from None
    if '"' in text:
        raise _Slow
    header = [cell.strip().lower() for cell in text.split(",")]
    if len(set(header)) != len(header):
        raise _Slow
    return header


def _arrow_chunks(data: bytes | Path, header: list[str], needed: list[str], chunk_size: int,
                  *, every_line: bool = False, few=_FEW):
    """Tables of `chunk_size` rows (the last one shorter), every needed column as text (the
    columns of `few` dictionary-encoded). `every_line`: a blank line is an error (so row i
    is the file's line i + 2)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    options = dict(
        read_options=pacsv.ReadOptions(use_threads=False, block_size=FAST_BLOCK, skip_rows=1,
                                       column_names=header),
        parse_options=pacsv.ParseOptions(ignore_empty_lines=not every_line),
        convert_options=pacsv.ConvertOptions(
            include_columns=needed, column_types={
                c: pa.dictionary(pa.int32(), pa.string()) if c in few else pa.string()
                for c in needed},
            strings_can_be_null=False, quoted_strings_can_be_null=False))
    if isinstance(data, Path):
        # Arrow's streaming reader reads ahead as far as the file goes (the whole of a
        # national file in memory): here blocks cut at a line end are read one at a time.
        reader = _blocks_read(data, options)
    else:
        reader = pacsv.open_csv(pa.py_buffer(data), **options)
    pending: list = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        while rows >= chunk_size:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, chunk_size)
            rest = table.slice(chunk_size)
            pending, rows = rest.to_batches(), rest.num_rows
    if rows:
        yield pa.Table.from_batches(pending)


def _blocks_read(path: Path, options: dict, block: int | None = None):
    """The record batches of a CSV file, parsed block by block (each cut after a line end,
    the header skipped in the first), so no more than about one block is held."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    block = block or FILE_BLOCK
    first = True
    rest = b""
    with open(path, "rb") as stream:
        while True:
            piece = stream.read(block)
            text = rest + piece
            if not piece:
                cut = len(text)
            else:
                cut = text.rfind(b"\n") + 1
                if not cut:
                    rest = text
                    continue
            rest = text[cut:]
            if cut:
                read = options["read_options"]
                if not first:
                    read = pacsv.ReadOptions(use_threads=False, block_size=read.block_size,
                                             column_names=read.column_names)
                table = pacsv.read_csv(pa.py_buffer(memoryview(text)[:cut]), **{**options,
                                                                     "read_options": read})
                first = False
                yield from table.to_batches()
            if not piece:
                return


def _flag_bytes(column) -> np.ndarray:
    """A 0/1 text column as uint8, without a Python object per cell; _Slow if a cell is not
    exactly "0" or "1"."""
    values, offsets = _text_bytes(column)
    n = len(offsets) - 1
    if n and not (np.diff(offsets) == 1).all():
        raise _Slow
    flags = values[offsets[0]:offsets[0] + n] - 48 if n else np.zeros(0, np.uint8)
    if (flags > 1).any():
        raise _Slow
    return flags


def _classify_csv_fast(data: bytes | Path, out, *, year, columns_for, lang, chunk_size) -> int:
    """`classify_file` for a CSV whose every cell is plainly right, columns at a time: read
    by pyarrow in record batches (at most `chunk_size` rows held), checked with vectorised
    kernels, classified by `tiendo.lib.poverty.classify`, each explanation put together from
    texts made once per distinct (area, class, deprivations) and per distinct income, and the
    lines written as Python's csv writer writes them (same bytes). Raises _Slow for anything
    else."""
    import pyarrow as pa
    from pyarrow import compute as pc

    header = _header(data)
    if any(c not in header for c in REQUIRED) or ("year" not in header and year is None):
        raise _Slow
    needed = [*REQUIRED, *(c for c in ("year", "name") if c in header),
              *(c for c in header if c.startswith(FLAG_PREFIX) and c not in REQUIRED)]
    written = 0  # output lines

    binary = getattr(out, "buffer", None) if str(getattr(out, "encoding", "")).lower() \
        .replace("-", "") == "utf8" else None

    def emit(text) -> None:
        if isinstance(text, str):
            out.write(text)
        elif binary is not None:
            out.flush()
            binary.write(text)
        else:
            out.write(memoryview(text).tobytes().decode("utf-8"))

    def plain(column, pattern) -> bool:
        return not len(column) or not pc.any(pc.match_substring_regex(column, pattern)).as_py()

    checked: dict[int, Standard] = {}
    explainers: dict[str, _Texts] = {}
    try:
        for table in _arrow_chunks(data, header, needed, chunk_size, few=("area", "year")):
            n = table.num_rows
            if "year" in header:
                texts, which = _decoded(table["year"])
                if year is not None:
                    texts = [t if t else str(year) for t in texts]
                if not all(t.isascii() and t.isdigit() and len(t) <= 18 for t in texts):
                    raise _Slow(written)
                years = np.array([int(t) for t in texts], dtype=np.int64)[which] if n \
                    else np.zeros(0, np.int64)
                used = np.bincount(which, minlength=len(texts)) > 0 if n else None
                distinct_years = sorted({int(t) for t, u in zip(texts, used, strict=True) if u}
                                        ) if n else []
            else:
                years = np.full(n, year, dtype=np.int64)
                distinct_years = [int(year)] if n else []
            texts, which = _decoded(table["area"])
            if not set(texts) <= {"urban", "rural"}:
                raise _Slow(written)
            urban = np.array([t == "urban" for t in texts], dtype=bool)[which] if n \
                else np.zeros(0, bool)
            numbers = {}
            for column in ("members", "income_per_capita"):
                # Arrow's parse takes digits with an optional sign, a subset of what int()
                # takes; anything else (a space, "1_000", a letter) is left to the precise path.
                numbers[column] = pc.cast(table[column], pa.int64()).to_numpy()
                if n and numbers[column].min() < 0:
                    raise _Slow(written)
            if not (_plain_column(table["commune"]) and _plain_column(table["household_id"])
                    and not _formula_starts(table["household_id"])
                    and ("name" not in header or plain(table["name"], _CONTROL))):
                raise _Slow(written)
            income = numbers["income_per_capita"]
            for value in distinct_years:
                if value not in checked:
                    try:
                        standard = columns_for(value)
                    except InvalidInput:
                        raise _Slow(written) from None
                    if missing_columns(standard, header):
                        raise _Slow(written)
                    checked[value] = standard
            groups: dict[str, tuple[Standard, list[int]]] = {}
            for value in distinct_years:  # in the precise path's order, standard by standard
                groups.setdefault(checked[value].code, (checked[value], []))[1].append(value)
            flag_columns = {}
            for standard, _years in groups.values():
                for column in standard.columns:
                    if column not in flag_columns:
                        flag_columns[column] = _flag_bytes(table[column])
            hids = table["household_id"].combine_chunks()
            for standard, group_years in groups.values():
                index = None if len(groups) == 1 else np.flatnonzero(np.isin(years, group_years))
                def pick(a, index=index):
                    return a if index is None else a[index]

                flags = np.stack([pick(flag_columns[c]) for c in standard.columns], axis=1) \
                    if standard.columns else np.zeros((n if index is None else len(index), 0),
                                                      np.uint8)
                if standard.code not in explainers:
                    explainers[standard.code] = _Texts(standard, lang)
                lines = _lines(explainers[standard.code], pick(urban), pick(income), flags,
                               hids if index is None else hids.take(pa.array(index)))
                if written == 0:
                    emit(",".join(OUTPUT_COLUMNS) + "\n")
                    written = 1
                emit(lines)
                written += len(flags)
    except pa.ArrowException:
        raise _Slow(written) from None
    if written == 0:
        emit(",".join(OUTPUT_COLUMNS) + "\n")
        written = 1
    return written - 1


class _Texts:
    """The pieces of the output lines of one standard and language, kept from one chunk to
    the next: for each (deprivation mask, area, class) seen, what comes between the
    household id and the income figure and what follows the figure, twice (the
    explanation unquoted, and quoted for when the figure needs it). A combination's slot
    is found by direct lookup on its bitmask."""

    DIRECT = 16  # up to this many indicators, a table of every combination key

    def __init__(self, standard: Standard, lang: str) -> None:
        self.standard, self.explainer = standard, Explainer(standard, lang)
        k = len(standard.indicators)
        self.slots = np.full(8 << k, -1, dtype=np.int32) if k <= self.DIRECT else {}
        self.heads: list[str] = []
        self.tails: list[str] = []
        self.arrays = None  # (heads, tails) as pyarrow arrays, rebuilt when some are added
        self.figure_quotes = self.explainer.separator in ',"\r\n'
        self._code = _csv_field(standard.code)
        self._masks: dict[int, tuple[str, str, bool]] = {}
        self._areas: dict[tuple[bool, int], tuple[str, str, str, bool]] = {}

    def _add(self, value: int) -> None:
        """The texts of one combination, from pieces made once per mask and once per (area,
        class): ",poor,3,health_insurance;water;sanitation,ND07-2021," and "Thu nhập "
        before the figure, " đ ≤ chuẩn nông thôn …; thiếu hụt 3 chỉ số: …" after it."""
        m, u, k = value >> 3, bool(value >> 2 & 1), value & 3
        piece = self._masks.get(m)
        if piece is None:
            words = deprivations_text(self.standard, m, self.explainer.lang)
            piece = self._masks[m] = (
                f"{m.bit_count()},{_csv_field(self.explainer.codes(m))},{self._code},",
                words, bool(_NEEDS_QUOTES(words)))
        around = self._areas.get((u, k))
        if around is None:
            before, rest = explain_parts(self.standard, urban=u, kind=k,
                                         lang=self.explainer.lang)
            around = self._areas[(u, k)] = (f",{CLASSES[k]},", before, rest,
                                            bool(_NEEDS_QUOTES(before + rest)))
        start, before, rest, quote_words = around
        middle, words, quote_deprivations = piece
        after = f"{rest}; {words}"
        if quote_words or quote_deprivations:
            self.heads += (start + middle + '"' + before.replace('"', '""'),) * 2
            self.tails += (after.replace('"', '""') + '"\n',) * 2
        else:
            self.heads += (start + middle + before, start + middle + '"' + before)
            self.tails += (after + "\n", after + '"\n')

    def rows(self, key: np.ndarray) -> np.ndarray:
        """Each household's slot (twice its combination's, the unquoted texts first)."""
        import pyarrow as pa

        before = len(self.heads)
        if isinstance(self.slots, dict):
            distinct, inverse = np.unique(key, return_inverse=True)
            for value in distinct.tolist():
                if value not in self.slots:
                    self.slots[value] = len(self.heads) // 2
                    self._add(value)
            slot = np.array([self.slots[v] for v in distinct.tolist()], np.int32)[inverse]
        else:
            slot = self.slots[key]
            if (slot < 0).any():
                for value in np.unique(key[slot < 0]).tolist():
                    self.slots[value] = len(self.heads) // 2
                    self._add(value)
                slot = self.slots[key]
        if self.arrays is None or len(self.heads) != before:
            self.arrays = (pa.array(self.heads, pa.string()), pa.array(self.tails, pa.string()))
        return slot * 2


def _lines(texts: _Texts, urban: np.ndarray, income: np.ndarray, flags: np.ndarray,
           household_id):
    """The output lines of households read under one standard, as a pyarrow buffer of
    UTF-8, from pieces: the household id (quoted if it must be), the texts of its
    combination (`texts`), its income figure (made in numpy once per distinct income of
    the chunk) and the texts after the figure."""
    import pyarrow as pa
    from pyarrow import compute as pc

    kind, _count, mask = classify(texts.standard, urban=urban, income=income, flags=flags)
    key = (mask.astype(np.int64) << 3) | (urban.astype(np.int64) << 2) | kind.astype(np.int64)
    row = texts.rows(key)
    incomes = pc.dictionary_encode(pa.array(income, type=pa.int64()))
    distinct = incomes.dictionary.to_numpy()
    which = incomes.indices
    data, offsets = texts.explainer.incomes(distinct)
    figures = pa.StringArray.from_buffers(len(distinct), pa.py_buffer(offsets),
                                          pa.py_buffer(data))
    if texts.figure_quotes:  # a figure with a comma: the explanation quoted
        row = row + (distinct >= 1000).astype(np.int32)[which.to_numpy()]
    row = pa.array(row)
    heads, tails = texts.arrays
    values, offsets = _text_bytes(household_id)
    used = values[offsets[0]:offsets[-1]] if len(offsets) else values
    if ((used == 0x2C) | (used == 0x22) | (used == 0x0A) | (used == 0x0D)).any():
        quoted = pc.match_substring_regex(household_id, '[,"\r\n]')
        household_id = pc.if_else(quoted, pc.binary_join_element_wise(
            '"', pc.replace_substring(household_id, '"', '""'), '"', ""), household_id)
    lines = pc.binary_join_element_wise(household_id, heads.take(row), figures.take(which),
                                        tails.take(row), "")
    if not len(lines):
        return b""
    _validity, offsets, values = lines.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32, count=len(lines) + 1,
                            offset=lines.offset * 4)
    return values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))


class Slow(_Slow):
    """The fast import reader met something it does not accept as plainly right: the
    precise reader (`household_chunks`) must read the file instead."""


@dataclass(slots=True)
class Batch:
    """Up to `chunk_size` households of a file every cell of which is plainly right, as
    columns (Arrow for the texts, numpy for the rest). Row i is on line `first_line + i`."""

    first_line: int
    year: int
    communes: list[str]  # the distinct commune codes of the batch
    commune: np.ndarray  # each row's index into `communes`
    household_id: object  # pyarrow string array
    name: object | None  # pyarrow string array
    urban: np.ndarray
    members: np.ndarray
    income: np.ndarray
    flags: np.ndarray  # (n, k) uint8 in the standard's order

    def __len__(self) -> int:
        return len(self.urban)


def household_batches_fast(data: bytes | Path, *, columns_for, year: int | None = None,
                           chunk_size: int = CHUNK) -> Iterator[tuple[Standard, Batch]]:
    """The households of a CSV for the review import, without a Python object per
    household: read by pyarrow column-wise, checked with vectorised kernels, one review year.
    Raises `Slow` at anything it does not take as plainly right (a blank line, a cell that is
    not exactly a number, "urban"/"rural" or 0/1, a text with white space at an end or a
    control character, more than one year, a year without a standard): the precise reader
    then reads the file again and locates every problem with its line and column. The
    checks the fast reader cannot do alone (the communes, duplicate ids) are the caller's."""
    import pyarrow as pa
    from pyarrow import compute as pc

    review_year: int | None = None
    standard: Standard | None = None
    first_line = 2
    try:
        header = _header(data)
        if any(c not in header for c in REQUIRED) or ("year" not in header and year is None):
            raise Slow
        needed = [*REQUIRED, *(c for c in ("year", "name") if c in header),
                  *(c for c in header if c.startswith(FLAG_PREFIX) and c not in REQUIRED)]
        for table in _arrow_chunks(data, header, needed, chunk_size, every_line=True):
            n = table.num_rows
            if not n:
                continue
            if "year" in header:
                texts, _which = _decoded(table["year"])
                if year is not None:
                    texts = [t if t else str(year) for t in texts]
                if len(set(texts)) != 1 or not (texts[0].isascii() and texts[0].isdigit()
                                                and len(texts[0]) <= 4):
                    raise Slow
                value = int(texts[0])
            else:
                value = int(year)
            if review_year is None:
                review_year = value
                try:
                    standard = columns_for(value)
                except InvalidInput:
                    raise Slow from None
                if missing_columns(standard, header):
                    raise Slow
            elif value != review_year:
                raise Slow
            texts, which = _decoded(table["area"])
            if not set(texts) <= {"urban", "rural"}:
                raise Slow
            urban = np.array([t == "urban" for t in texts], dtype=bool)[which]
            numbers = {}
            for column in ("members", "income_per_capita"):
                numbers[column] = pc.cast(table[column], pa.int64()).to_numpy()
                if numbers[column].min() < 0:
                    raise Slow
            if numbers["members"].max() > 32767:
                raise Slow
            communes, commune = _decoded(table["commune"])
            names = table["name"].combine_chunks() if "name" in header else None
            if not (all(_plain(c) and "\n" not in c and "\r" not in c for c in communes)
                    and _plain_column(table["household_id"])
                    and _longest(table["household_id"]) <= HOUSEHOLD_ID_MAX
                    and (names is None or _longest(names) <= NAME_MAX)
                    and (names is None or not len(names) or not pc.any(
                        pc.match_substring_regex(names, r"[\x00-\x1f\x7f]")).as_py())):
                raise Slow
            flags = np.stack([_flag_bytes(table[c]) for c in standard.columns], axis=1) \
                if standard.columns else np.zeros((n, 0), np.uint8)
            yield standard, Batch(
                first_line=first_line, year=review_year, communes=communes,
                commune=commune.astype(np.int64), household_id=table["household_id"]
                .combine_chunks(), name=names, urban=urban, members=numbers["members"],
                income=numbers["income_per_capita"], flags=flags)
            first_line += n
    except pa.ArrowException:
        raise Slow from None
    except _Slow as slow:
        raise Slow from slow

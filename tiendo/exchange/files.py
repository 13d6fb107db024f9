"""What an uploaded file is, and opening workbooks without trusting them.

Uploads are judged by their first bytes, not their names: an .xlsx is a zip, an encrypted
(password-protected) workbook and an old .xls are OLE compound files, JSON starts with
a brace, ADX with '<'. Workbooks are opened read-only (streamed row by row) and refused
past a row limit, so a million-row sheet costs a message, not the server's memory.
"""

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.labels import nfc
from tiendo.language import current_lang
from tiendo.lib.numbers import NumberParseError, format_number, parse_number
from tiendo.lib.text import unneutralise

XLSX = "xlsx"
JSON = "json"
CSV = "csv"
ADX = "adx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def sniff(head: bytes) -> str:
    """"xlsx", "json", "adx" or "csv" from the first bytes; InvalidInput otherwise."""
    if not head.strip():
        raise InvalidInput([Problem(_("the file is empty"))])
    if head.startswith(OLE_MAGIC):
        raise InvalidInput([Problem(_(
            "this workbook is protected by a password (encrypted) or is an old .xls file; "
            "open it in Excel, remove the password and save it as .xlsx (Excel Workbook)"
        ))])
    if head.startswith(ZIP_MAGIC):
        return XLSX
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"{", b"[")):
        return JSON
    if text.startswith(b"<"):
        return ADX
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end in the middle of a character; only an early failure counts.
        if error.start < len(head) - 4:
            raise InvalidInput([Problem(_(
                "this is neither an Excel workbook (.xlsx) nor a UTF-8 text file "
                "(DHIS2 JSON or CSV, ADX XML)"
            ))]) from None
    return CSV


# Below this many unpacked bytes a workbook is small whatever its ratio (an empty sheet
# compresses very well).
RATIO_FLOOR = 1024 * 1024


def zip_check(stream: BinaryIO) -> None:
    """Refuse a workbook whose parts would unpack too large, from its zip directory alone.

    The sizes are those the directory declares; reading a part never yields more than its
    declared size (zipfile stops there), so they bound what openpyxl can unpack.
    """
    start = stream.tell()
    packed = stream.seek(0, io.SEEK_END) - start
    stream.seek(start)
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # open_workbook says it cannot be read
    finally:
        stream.seek(start)
    limit = settings.TIENDO_UPLOAD_MAX_UNPACKED_BYTES
    ratio = settings.TIENDO_UPLOAD_MAX_RATIO
    if unpacked > limit or (unpacked > RATIO_FLOOR and unpacked > ratio * max(packed, 1)):
        raise InvalidInput([Problem(
            _("this workbook unpacks to %(size)s MB, more than the %(limit)s MB (or %(ratio)s "
              "times its own size) accepted; it may be damaged or built to overload the "
              "server. Save it again in Excel, or split it")
            % {"size": unpacked // (1024 * 1024), "limit": limit // (1024 * 1024),
               "ratio": ratio})])


def open_workbook(stream: BinaryIO, *, data_only: bool = False) -> Workbook:
    """A read-only workbook, or InvalidInput saying why it cannot be read (too large once
    unpacked included)."""
    zip_check(stream)
    try:
        return load_workbook(stream, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise InvalidInput([Problem(
            _("this file cannot be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": error.__class__.__name__}
        )]) from None
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise InvalidInput([Problem(
            _("this file cannot be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": error.__class__.__name__}
        )]) from None


def max_rows() -> int:
    return int(getattr(settings, "TIENDO_UPLOAD_MAX_ROWS", 200_000))


def sheet_rows(sheet, *, sheet_name: str) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of a read-only sheet, refusing more rows than the limit.

    The limit is checked against the size the file declares before anything is read, and
    again while reading, since the declared size may be missing or wrong.
    """
    limit = max_rows()
    declared = sheet.max_row if isinstance(sheet.max_row, int) else 0
    if declared > limit:
        raise _too_many(sheet_name, declared, limit)
    max_cells = settings.TIENDO_UPLOAD_MAX_CELLS
    max_chars = settings.TIENDO_UPLOAD_MAX_CELL_CHARS
    width = sheet.max_column if isinstance(sheet.max_column, int) else 0
    if declared * width > max_cells:
        raise _too_many_cells(sheet_name, declared * width, max_cells)
    cells = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit:
            raise _too_many(sheet_name, number, limit)
        cells += len(values)
        if cells > max_cells:
            raise _too_many_cells(sheet_name, cells, max_cells)
        for index, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) > max_chars:
                raise InvalidInput([Problem(
                    _("this cell holds %(length)s characters, more than the %(limit)s "
                      "accepted") % {"length": len(value), "limit": max_chars},
                    number, column_letter(index), "", sheet_name)])
        yield number, values


def _too_many_cells(sheet_name: str, cells: int, limit: int) -> InvalidInput:
    return InvalidInput([Problem(
        _("the sheet has %(cells)s cells or more, above the limit of %(limit)s; split it, or "
          "send the data as a DHIS2 CSV file") % {"cells": cells, "limit": limit},
        sheet=sheet_name)])


def _too_many(sheet_name: str, rows: int, limit: int) -> InvalidInput:
    return InvalidInput([Problem(
        _("the sheet has %(rows)s rows or more, above the limit of %(limit)s; split it, or "
          "send the data as a DHIS2 CSV file")
        % {"rows": rows, "limit": limit},
        sheet=sheet_name,
    )])


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A label cell as NFC text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(nfc(str(value)).strip())


class CellError(ValueError):
    """A value cell holds something that is not a number; the message says what."""


def cell_number(value: object) -> tuple[object, bool]:
    """What a value cell gives the import, and whether it was text that looked like a number
    (the caller warns about those, since "15.500" is read the Vietnamese way)."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise CellError(_("true/false found where a number belongs"))
    if isinstance(value, datetime | date | time):
        raise CellError(_("a date found where a number belongs (is the cell formatted as a "
                          "date?)"))
    if isinstance(value, int | float | Decimal):
        return value, False
    text = nfc(str(value)).strip()
    if text.startswith("="):
        raise CellError(_("a formula is not accepted in a value cell; type the number "
                          "(in Excel: copy, then Paste Values)"))
    if text.startswith("#"):
        raise CellError(_("an Excel error value (%(value)s) found where a number belongs")
                        % {"value": text})
    return (text or None), bool(text)


def read_head(stream: BinaryIO, size: int = 8192) -> bytes:
    head = stream.read(size)
    stream.seek(0)
    return head


def as_binary(data: bytes) -> BinaryIO:
    return io.BytesIO(data)


def text_number(text: str, line: int, column: str, sheet: str, warnings: list[Problem]):
    """Text in a value cell: read as a Vietnamese number if it is one, with a warning."""
    try:
        number = parse_number(text, locale="vi")
    except NumberParseError:
        return text  # the import reports it as "not a number", with the cell
    warnings.append(Problem(
        _("the number was typed as text; read as %(number)s") % {
            "number": format_number(number, max(0, -number.as_tuple().exponent), current_lang())},
        line, column, text, sheet))
    return number


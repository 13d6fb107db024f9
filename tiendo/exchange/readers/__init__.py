"""Readers: every format an upload may be in, read into the same raw rows.

Values come as `RawValue`s (`tiendo.data.services`), targets as `RawTarget`s
(`tiendo.plans.checks`); a reader checks nothing but the file itself (a cell holding a
date or a formula, a broken XML), reports that as a Problem with its sheet, line and column,
and leaves every other check to the import (`tiendo.exchange.imports`).

| format | reader |
|---|---|
| DHIS2 JSON, DHIS2 CSV | `dhis2.dhis2_json_values`, `dhis2.dhis2_csv_values` |
| ADX (XML) | `adx.adx_values` |
| our Excel form of a data set | `template.template_values` |
| an .xlsx laid out like a DHIS2 CSV | `sheet.sheet_values` |
| an office's own table, once mapped | `freeform.freeform_values` |
| targets CSV | `targets.targets_csv_records` |
| Excel template of a target set | `targets.targets_template_records` |

`detect_format` tells which one a text or an opened workbook is.
"""

import json

from django.utils.translation import gettext as _
from openpyxl.workbook.workbook import Workbook

from tiendo.errors import InvalidInput, Problem
from tiendo.exchange import files
from tiendo.exchange.readers.text import clean, csv_header
from tiendo.exchange.targets_template import is_targets_template
from tiendo.exchange.template import is_template

DHIS2_JSON = "dhis2_json"
DHIS2_CSV = "dhis2_csv"
ADX = files.ADX
TEMPLATE = "template"
SHEET = "sheet"  # an .xlsx laid out like a DHIS2 CSV
FREEFORM = "freeform"
TARGETS_CSV = "targets_csv"
TARGETS_TEMPLATE = "targets_template"
TASKS_CSV = "tasks_csv"  # read by tiendo.assignments.readers
TASKS_SHEET = "tasks_sheet"
TASKS_MARK = "document_symbol"  # the header column that says a file is a task list
TARGET_KINDS = frozenset({TARGETS_TEMPLATE, TARGETS_CSV})  # uploads that hold targets
SHEET_COLUMNS = {"dataelement", "period", "orgunit", "value"}


def detect_format(source: str | Workbook) -> str:
    """The format of a text ("dhis2_json", "dhis2_csv" or "targets_csv") or of an opened
    workbook ("targets_template", "template", "sheet" or "freeform"), judged from the
    content; InvalidInput when it is none of them."""
    if isinstance(source, Workbook):
        return _workbook_format(source)
    text = clean(source)
    if not text:
        raise InvalidInput([Problem(_("the file is empty"))])
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                [
                    Problem(
                        _("the JSON cannot be read: %(error)s") % {"error": error.msg}, error.lineno
                    )
                ]
            ) from None
        if isinstance(data, dict) and isinstance(data.get("dataValues"), list):
            return DHIS2_JSON
        raise InvalidInput([Problem(_('a JSON file must be an object with a "dataValues" list'))])
    header = csv_header(text)
    if "dataelement" in header:
        return DHIS2_CSV
    if "target_set" in header:
        return TARGETS_CSV
    if TASKS_MARK in header:
        return TASKS_CSV
    raise InvalidInput(
        [
            Problem(
                _(
                    'unknown file format: expected DHIS2 JSON (with "dataValues"), a DHIS2 '
                    'CSV (header with "dataelement") or a targets CSV (header with '
                    '"target_set")'
                ),
                1,
            )
        ]
    )


def _workbook_format(book: Workbook) -> str:
    if is_targets_template(book):
        return TARGETS_TEMPLATE
    if is_template(book):
        return TEMPLATE
    if not book.worksheets:
        raise InvalidInput([Problem(_("the workbook has no sheet"))])
    header = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    if SHEET_COLUMNS <= {files.cell_text(cell).lower() for cell in header}:
        return SHEET
    if TASKS_MARK in {files.cell_text(cell).lower() for cell in header}:
        return TASKS_SHEET
    return FREEFORM

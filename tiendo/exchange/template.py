"""The Excel template of a data set for one unit and period: built, and its key read back
(its rows are read by `tiendo.exchange.readers.template`).

Layout (format version 1): a data sheet with the unit and period written out on top, a
heading row, then one row per data element and, under a disaggregated element, one row per
part. Columns: element code, part code, name, unit of measure, value, estimate (x),
comment. Value cells carry Excel's own validation (numbers only; a rate 0–100; whole
numbers where counted); the code columns are protected without a password so they are not
changed by accident. A second sheet explains how to fill it in; a very hidden third sheet,
the key, says which data set, unit and period the file is for, so an upload knows what it
is and refuses a template of another unit or period unless the user meant it.
"""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.tables import print_across, workbook_neutralise
from tiendo.indicators.models import DataElement, DataSet
from tiendo.language import current_lang
from tiendo.lib.numbers import format_number
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.org.models import OrgUnit

KEY_SHEET = "_tiendo"
MAGIC = "tiendo-template"
VERSION = 1
FIRST_ROW = 7
HEADING_ROW = FIRST_ROW - 1
COLUMNS = ("element", "part", "name", "unit", "value", "estimate", "comment")
COL = {name: index for index, name in enumerate(COLUMNS)}  # 0-based
LETTER = {name: chr(65 + index) for index, name in enumerate(COLUMNS)}
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
LOCKED_FILL = PatternFill("solid", fgColor="E8E8E8")


def headings() -> list[str]:
    return [_("Element code"), _("Part code"), _("Data element"), _("Unit of measure"),
            _("Value"), _("Estimate (x)"), _("Comment")]


def template_elements(data_set: DataSet) -> list[DataElement]:
    """The set's elements in catalogue order, with their disaggregation parts."""
    return list(
        data_set.elements.select_related("disaggregation")
        .prefetch_related("disaggregation__parts")
        .order_by("id")
    )


def _validation(element: DataElement) -> DataValidation:
    kinds = {
        "percent": ("decimal", "between", "0", "100", _("a rate between 0 and 100")),
        "integer": ("whole", "greaterThanOrEqual", "0", None, _("a whole number, 0 or more")),
        "money": ("decimal", "greaterThanOrEqual", "0", None, _("an amount, 0 or more")),
        "number": ("decimal", "between", "-1E+15", "1E+15", _("a number")),
    }
    kind, operator, low, high, wanted = kinds.get(element.value_type, kinds["number"])
    rule = DataValidation(type=kind, operator=operator, formula1=low, formula2=high,
                          allow_blank=True, showErrorMessage=True)
    rule.errorTitle = _("Not accepted")
    rule.error = _("Expected: %(wanted)s.") % {"wanted": wanted}
    return rule


def template_build(*, data_set: DataSet, unit: OrgUnit, period: Period) -> bytes:
    """The .xlsx template, filled with what is stored now (approved values shown locked)."""
    lang = current_lang()
    elements = template_elements(data_set)
    stored = {
        (row.data_element_id, row.part): row
        for row in DataValue.objects.filter(
            data_element__in=elements, org_unit=unit, period=period.code
        )
    }
    book = Workbook()
    sheet = book.active
    sheet.title = _("Data")[:31]
    sheet["A1"] = _("Data entry form: %(name)s") % {"name": data_set.name}
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("Unit: %(name)s (code %(code)s)") % {"name": unit.name, "code": unit.code}
    sheet["A3"] = _("Period: %(label)s (code %(code)s)") % {
        "label": period.label(lang), "code": period.code}
    sheet["A4"] = _("Fill in the yellow cells only. Instructions are on the next sheet.")
    sheet["A4"].font = Font(italic=True)
    for index, text in enumerate(headings(), start=1):
        cell = sheet.cell(row=HEADING_ROW, column=index, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rules: dict[str, DataValidation] = {}
    estimate_rule = DataValidation(type="list", formula1='"x"', allow_blank=True)
    row_number = FIRST_ROW
    for element in elements:
        parts = [("", "")]
        if element.disaggregation_id:
            parts += [(part.code, part.name) for part in element.disaggregation.parts.all()]
        for part_code, part_name in parts:
            current = stored.get((element.id, part_code))
            name = f"    {part_name}" if part_code else element.name
            row = [element.code, part_code, name, element.unit_vi,
                   current.value if current else None,
                   "x" if current and current.estimate else None,
                   current.comment if current else None]
            for index, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=index, value=value)
                cell.protection = Protection(locked=True)
            approved = current is not None and current.status == DataValue.Status.APPROVED
            for name_ in ("value", "estimate", "comment"):
                cell = sheet.cell(row=row_number, column=COL[name_] + 1)
                cell.protection = Protection(locked=approved)
                cell.fill = LOCKED_FILL if approved else INPUT_FILL
            value_cell = sheet.cell(row=row_number, column=COL["value"] + 1)
            decimals = 0 if element.value_type in ("integer", "money") else 2
            value_cell.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
            if not approved:
                rule = rules.get(element.value_type)
                if rule is None:
                    rule = rules[element.value_type] = _validation(element)
                rule.add(value_cell.coordinate)
                estimate_rule.add(sheet.cell(row=row_number, column=COL["estimate"] + 1)
                                  .coordinate)
            row_number += 1
    for rule in (*rules.values(), estimate_rule):
        if rule.sqref:
            sheet.add_data_validation(rule)
    for letter, width in zip("ABCDEFG", (22, 10, 55, 12, 16, 10, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    print_across(sheet)
    sheet.protection.sheet = True  # no password: it guards against slips, not people
    sheet.protection.formatColumns = False
    _instructions(book.create_sheet(_("Instructions")[:31]), data_set, unit, period, lang)
    _key(book.create_sheet(KEY_SHEET), data_set, unit, period, sheet.title)
    out = io.BytesIO()
    workbook_neutralise(book)
    book.save(out)
    return out.getvalue()


def _instructions(sheet, data_set, unit, period, lang) -> None:
    lines = [
        _("How to fill in this form"),
        "",
        _("1. Type each figure in the yellow Value cell of its row. Leave a cell empty when "
          "there is no figure; an empty cell does not delete a stored value."),
        _("2. Type numbers as numbers, without units or text. Vietnamese style is accepted "
          "(15.500 or 1,5) but Excel cells formatted as numbers are safest."),
        _("3. Rates are percentages between 0 and 100 (type 75,5 for 75,5%)."),
        _("4. Where a figure is split into parts, the parts must add up to the total above "
          "them."),
        _("5. Put x in the Estimate column for a figure that is an estimate (ước thực hiện)."),
        _("6. Do not change the codes, the sheet names or the order of the sheets; do not "
          "type formulas in value cells (copy, then Paste Values)."),
        _("7. Grey cells hold approved figures and cannot be changed here."),
        _("8. Upload the saved file on the Excel and files page, or with: tiendo import FILE"),
        "",
        _("Data set: %(name)s (%(code)s)") % {"name": data_set.name, "code": data_set.code},
        _("Unit: %(name)s (code %(code)s)") % {"name": unit.name, "code": unit.code},
        _("Period: %(label)s (code %(code)s)") % {"label": period.label(lang),
                                                 "code": period.code},
        _("Example of a number in Vietnamese style: %(example)s")
        % {"example": format_number(15500, 0, lang)},
    ]
    for number, text in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=text)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110


def _key(sheet, data_set, unit, period, data_sheet: str) -> None:
    rows = [("format", MAGIC), ("version", VERSION), ("data_set", data_set.code),
            ("unit_id", unit.pk), ("unit_code", unit.code), ("period", period.code),
            ("data_sheet", data_sheet), ("first_row", FIRST_ROW),
            ("generated_at", timezone.now().isoformat(timespec="seconds"))]
    for row in rows:
        sheet.append(row)
    sheet.sheet_state = "veryHidden"


# --- reading ---------------------------------------------------------------------------


@dataclass(slots=True)
class TemplateKey:
    data_set: DataSet
    unit: OrgUnit
    period: Period
    data_sheet: str


@dataclass(slots=True)
class Expected:
    """What the user said they are uploading; None means "whatever the file says"."""

    data_set: DataSet | None = None
    unit: OrgUnit | None = None
    period: Period | None = None
    accept_other: bool = False
    target_set: object | None = None  # a TargetSet, for the template of a target set


def is_template(book) -> bool:
    return KEY_SHEET in book.sheetnames


def key_values(book) -> dict[str, object]:
    """The name → value rows of a template's hidden key sheet (of either kind of template)."""
    values = {}
    for row in book[KEY_SHEET].iter_rows(min_row=1, max_row=20, values_only=True):
        if row and row[0]:
            values[str(row[0])] = row[1] if len(row) > 1 else None
    return values


def template_key(book) -> TemplateKey:
    """The key of a template workbook, checked against the database."""
    values = key_values(book)
    if values.get("format") != MAGIC or str(values.get("version")) != str(VERSION):
        raise InvalidInput([Problem(
            _("this template comes from another version of the system; download a new one"),
            sheet=KEY_SHEET)])
    problems = []
    data_set = DataSet.objects.filter(code=str(values.get("data_set") or "")).first()
    if data_set is None:
        problems.append(Problem(_("the template names an unknown data set"),
                                field="data_set", value=str(values.get("data_set"))))
    unit = OrgUnit.objects.filter(pk=_int(values.get("unit_id"))).first()
    if unit is None or unit.code != str(values.get("unit_code")):
        problems.append(Problem(_("the template names a unit this system does not have"),
                                field="unit", value=str(values.get("unit_code"))))
    try:
        period = parse_period(str(values.get("period") or ""))
    except PeriodError:
        period = None
        problems.append(Problem(_("the template names an invalid period"), field="period",
                                value=str(values.get("period"))))
    data_sheet = str(values.get("data_sheet") or "")
    if data_sheet not in book.sheetnames:
        problems.append(Problem(_("the data sheet %(name)s is missing; were sheets renamed?")
                                % {"name": data_sheet}))
    if problems:
        raise InvalidInput(problems)
    return TemplateKey(data_set, unit, period, data_sheet)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_expected(key: TemplateKey, expected: Expected) -> None:
    """Refuse a template of another data set, unit or period than the one the user chose,
    unless they said they meant it."""
    if expected.accept_other:
        return
    lang = current_lang()
    problems = []
    if expected.data_set is not None and expected.data_set.pk != key.data_set.pk:
        problems.append(Problem(
            _("this template is for the data set %(found)s, not %(wanted)s")
            % {"found": key.data_set.name, "wanted": expected.data_set.name},
            field="data_set", value=key.data_set.code))
    if expected.unit is not None and expected.unit.pk != key.unit.pk:
        problems.append(Problem(
            _("this template is for %(found)s, not %(wanted)s; upload it for that unit or "
              "confirm that you mean it")
            % {"found": key.unit.name, "wanted": expected.unit.name},
            field="unit", value=key.unit.code))
    if expected.period is not None and expected.period.code != key.period.code:
        problems.append(Problem(
            _("this template is for the period %(found)s, not %(wanted)s")
            % {"found": key.period.label(lang), "wanted": expected.period.label(lang)},
            field="period", value=key.period.code))
    if problems:
        raise InvalidInput(problems)

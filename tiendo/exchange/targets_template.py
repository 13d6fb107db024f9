"""The Excel template of a target set: built with the targets the user may see, and its key
read back (its rows are read by `tiendo.exchange.readers.targets`).

Layout (format "tiendo-targets", version 1): a sheet of targets with the set written out on
top, a heading row, then one target a row (those stored now, then empty rows to add more).
Columns: indicator code, indicator name, unit of measure, unit code, unit name, period,
comparison, value, upper value, baseline period, responsible unit code, follow-up person,
note. Names are there to read and are ignored on upload; the yellow cells are the input.
Indicator, comparison and unit cells offer lists from a second sheet (the indicators, the
comparisons in words, the units the user may plan); value cells accept numbers only; code
cells are text so "00004" keeps its zeros. A third sheet explains how to fill it in; a very
hidden key sheet says which set the file is for. An empty row is skipped, and a target left
out of the file is kept: the template adds and changes targets, it never deletes one.
"""

import datetime
import io
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from tiendo.accounts.access import user_scope
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.exchange.files import (
    column_letter,
)
from tiendo.exchange.tables import print_across, workbook_neutralise
from tiendo.exchange.template import INPUT_FILL, KEY_SHEET, LOCKED_FILL, key_values
from tiendo.indicators.models import Indicator
from tiendo.language import current_lang
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_descendants
from tiendo.plans.checks import comparison_labels
from tiendo.plans.models import TargetSet
from tiendo.plans.selectors import targets_visible, targetset_for

MAGIC = "tiendo-targets"
VERSION = 1
FIRST_ROW = 7
HEADING_ROW = FIRST_ROW - 1
EMPTY_ROWS = 100
MAX_LISTED_UNITS = 5000
COLUMNS = ("indicator", "indicator_name", "measure", "org_unit", "unit_name", "period",
           "comparison", "value", "value_max", "baseline_period", "responsible_unit",
           "follow_up_person", "note")
SHOWN_ONLY = frozenset({"indicator_name", "measure", "unit_name"})
TEXT_COLUMNS = frozenset({"indicator", "org_unit", "period", "baseline_period",
                          "responsible_unit"})
COL = {name: index for index, name in enumerate(COLUMNS)}  # 0-based
LETTER = {name: column_letter(index + 1) for index, name in enumerate(COLUMNS)}
WIDTHS = (22, 48, 12, 12, 28, 10, 26, 14, 14, 10, 14, 22, 30)


def _headings() -> list[str]:
    return [_("Indicator code"), _("Indicator"), _("Unit of measure"), _("Unit code"),
            _("Unit"), _("Period"), _("Comparison"), _("Value"), _("Upper value"),
            _("Baseline period"), _("Responsible unit code"), _("Follow-up person"),
            _("Note")]


def field_names() -> dict[str, str]:
    """How a problem names a column: its letter and heading, e.g. "H (Giá trị)"."""
    headings = _headings()
    return {name: f"{LETTER[name]} ({headings[COL[name]]})" for name in COLUMNS}


def _day(target_set: TargetSet) -> datetime.date:
    """The day whose map the set's units are listed on: its period's end, else today."""
    try:
        return parse_period(target_set.period).end if target_set.period else timezone.localdate()
    except PeriodError:
        return timezone.localdate()


def _units(target_set: TargetSet, user) -> list[OrgUnit]:
    """Units a target of the set may be for, as the user may plan them (a list to pick from)."""
    day = _day(target_set)
    if target_set.scope is not None:
        units = orgunit_descendants(target_set.scope, on=day, include_self=True)
    else:
        units = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE)
    if user is not None:
        units = units.filter(user_scope(user).unit_filter())
    return list(units.order_by("path")[:MAX_LISTED_UNITS])


def targets_template_filename(target_set: TargetSet) -> str:
    """chi-tieu_<set name>.xlsx, without the characters Windows refuses in a file name."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", target_set.name).strip("_")
    return f"chi-tieu_{name or target_set.pk}.xlsx"


def targets_template_build(*, target_set: TargetSet, user) -> bytes:
    """The .xlsx template of `target_set`, with the targets `user` may see (None: all)."""
    lang = current_lang()
    comparisons = comparison_labels(lang)
    label_of = dict(comparisons)
    indicators = list(Indicator.objects.order_by("code"))
    units = _units(target_set, user)
    targets = list(targets_visible(user, target_set))

    book = Workbook()
    sheet = book.active
    sheet.title = _("Targets")[:31]
    sheet["A1"] = _("Targets: %(name)s") % {"name": target_set.name}
    sheet["A1"].font = Font(bold=True, size=13)
    about = [target_set.get_kind_display()]
    if target_set.document is not None:
        about.append(_("document %(symbol)s") % {"symbol": target_set.document.symbol})
    if target_set.scope is not None:
        about.append(_("scope: %(name)s") % {"name": target_set.scope.name})
    if target_set.period:
        about.append(_("period %(code)s") % {"code": target_set.period})
    sheet["A2"] = " · ".join(about)
    sheet["A3"] = _("Fill in the yellow cells: change a target on its row, add one on an "
                    "empty row. Instructions and lists are on the next sheets.")
    sheet["A4"] = _("A row left empty is skipped; a target removed from this file is kept "
                    "(delete targets on the target set's page).")
    for cell in ("A3", "A4"):
        sheet[cell].font = Font(italic=True)
    for index, text in enumerate(_headings(), start=1):
        cell = sheet.cell(row=HEADING_ROW, column=index, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    last = FIRST_ROW + len(targets) + EMPTY_ROWS - 1
    for offset, target in enumerate(targets):
        values = {
            "indicator": target.indicator.code, "indicator_name": target.indicator.name,
            "measure": target.indicator.unit_vi, "org_unit": target.org_unit.code,
            "unit_name": target.org_unit.name, "period": target.period,
            "comparison": label_of.get(target.comparison, target.comparison),
            "value": target.value, "value_max": target.value_max,
            "baseline_period": target.baseline_period,
            "responsible_unit": target.responsible_unit.code if target.responsible_unit else None,
            "follow_up_person": target.follow_up_person or None, "note": target.note or None,
        }
        for name, value in values.items():
            sheet.cell(row=FIRST_ROW + offset, column=COL[name] + 1, value=value)
    for row in range(FIRST_ROW, last + 1):
        for name in COLUMNS:
            cell = sheet.cell(row=row, column=COL[name] + 1)
            cell.fill = LOCKED_FILL if name in SHOWN_ONLY else INPUT_FILL
            if name in TEXT_COLUMNS:
                cell.number_format = "@"
            elif name in ("value", "value_max"):
                cell.number_format = "#,##0.######"
    lists = book.create_sheet(_("Lists")[:31])
    _lists(lists, indicators, comparisons, units)
    _validations(sheet, lists.title, last, len(indicators), len(comparisons), len(units))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.freeze_panes = f"B{FIRST_ROW}"
    print_across(sheet)
    _instructions(book.create_sheet(_("Instructions")[:31]), target_set, comparisons)
    key = book.create_sheet(KEY_SHEET)
    for row in (("format", MAGIC), ("version", VERSION), ("target_set_id", target_set.pk),
                ("target_set", target_set.name), ("data_sheet", sheet.title),
                ("first_row", FIRST_ROW),
                ("generated_at", timezone.now().isoformat(timespec="seconds"))):
        key.append(row)
    key.sheet_state = "veryHidden"
    out = io.BytesIO()
    workbook_neutralise(book)
    book.save(out)
    return out.getvalue()


def _lists(sheet, indicators, comparisons, units) -> None:
    """Indicators in A–C, comparisons in E–F, units in H–I; row 1 holds the headings."""
    bold = Font(bold=True)
    for column, text in ((1, _("Indicator code")), (2, _("Indicator")),
                         (3, _("Unit of measure")), (5, _("Comparison")), (6, _("Code")),
                         (8, _("Unit code")), (9, _("Unit"))):
        sheet.cell(row=1, column=column, value=text).font = bold
    for row, indicator in enumerate(indicators, start=2):
        sheet.cell(row=row, column=1, value=indicator.code)
        sheet.cell(row=row, column=2, value=indicator.name)
        sheet.cell(row=row, column=3, value=indicator.unit_vi)
    for row, (code, label) in enumerate(comparisons, start=2):
        sheet.cell(row=row, column=5, value=label)
        sheet.cell(row=row, column=6, value=code)
    for row, unit in enumerate(units, start=2):
        sheet.cell(row=row, column=8, value=unit.code).number_format = "@"
        sheet.cell(row=row, column=9, value=unit.name)
    for letter, width in zip("ABCDEFGHI", (24, 60, 12, 2, 28, 14, 2, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _validations(sheet, lists_title: str, last: int, indicators: int, comparisons: int,
                 units: int) -> None:
    lists = quote_sheetname(lists_title)

    def cells(name: str) -> str:
        return f"{LETTER[name]}{FIRST_ROW}:{LETTER[name]}{last}"

    def listed(column: str, count: int, strict: bool) -> DataValidation:
        rule = DataValidation(type="list", formula1=f"{lists}!${column}$2:${column}$"
                              f"{max(2, count + 1)}", allow_blank=True, showErrorMessage=True,
                              errorStyle="stop" if strict else "warning")
        rule.errorTitle = _("Not in the list")
        rule.error = _("Choose from the list (sheet %(sheet)s).") % {"sheet": lists_title}
        return rule

    rules = [(listed("A", indicators, strict=False), "indicator"),
             (listed("E", comparisons, strict=True), "comparison"),
             (listed("H", units, strict=False), "org_unit")]
    for name in ("value", "value_max"):
        number = DataValidation(type="decimal", operator="between", formula1="-1E+15",
                                formula2="1E+15", allow_blank=True, showErrorMessage=True)
        number.errorTitle = _("Not accepted")
        number.error = _("Expected: %(wanted)s.") % {"wanted": _("a number")}
        rules.append((number, name))
    for rule, name in rules:
        rule.add(cells(name))
        sheet.add_data_validation(rule)


def _instructions(sheet, target_set: TargetSet, comparisons) -> None:
    lines = [
        _("How to fill in the targets template"),
        "",
        _("1. One target a row. To change a target, change its yellow cells; to add one, "
          "fill an empty row (codes of indicators and units are on the Lists sheet)."),
        _("2. The grey cells (names, unit of measure) are there to read; they are ignored "
          "when the file is uploaded."),
        _("3. Period: 2026 for a year, 2026Q3 for a quarter, 202609 for a month, 2021-2025 for "
          "a term. The baseline period (for an increase or decrease) defaults to the period "
          "before."),
        _("4. Comparison: choose from the list. The upper value is needed for a range, and "
          "may give the upper end of an increase or a decrease."),
        _("5. Type numbers as numbers; Vietnamese style is accepted (15.500 or 1,5). A rate "
          "is a percentage (type 75,5 for 75,5%)."),
        _("6. A row left empty is skipped. A target that is removed from the file is kept: "
          "delete targets on the target set's page."),
        _("7. Do not rename or reorder the sheets. Upload the saved file on the target set's "
          "page, on the Excel and files page, or with: tiendo import FILE"),
        _("8. Nothing is stored while any row has a problem: the check lists every problem "
          "with its row and column."),
        "",
        _("Target set: %(name)s") % {"name": target_set.name},
        "",
        _("Comparisons"),
    ]
    lines += [f"{label} ({code})" for code, label in comparisons]
    for number, text in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=text)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetsKey:
    target_set: TargetSet
    data_sheet: str


def is_targets_template(book) -> bool:
    return KEY_SHEET in book.sheetnames and key_values(book).get("format") == MAGIC


def targets_template_key(book, user) -> TargetsKey:
    """The set a targets template is for, if it still exists and the user may see it."""
    values = key_values(book)
    if str(values.get("version")) != str(VERSION):
        raise InvalidInput([Problem(
            _("this template comes from another version of the system; download a new one"),
            sheet=KEY_SHEET)])
    set_id = values.get("target_set_id")
    try:
        if user is None:
            target_set = TargetSet.objects.get(pk=int(set_id))
        else:
            target_set = targetset_for(user, set_id)
    except (TargetSet.DoesNotExist, NotFound, TypeError, ValueError):
        raise InvalidInput([Problem(
            _("the target set of this template (%(name)s) no longer exists or is outside "
              "what you may see") % {"name": values.get("target_set")},
            field="target_set", value=str(values.get("target_set") or ""))]) from None
    data_sheet = str(values.get("data_sheet") or "")
    if data_sheet not in book.sheetnames:
        raise InvalidInput([Problem(
            _("the data sheet %(name)s is missing; were sheets renamed?") % {"name": data_sheet})])
    return TargetsKey(target_set, data_sheet)

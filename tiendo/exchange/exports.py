"""Files the faces hand out: templates, value exports, the evaluation table. One place, so
the page, the API and the CLI give the same file for the same question."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiendo.accounts.access import Scope
from tiendo.analytics.evaluation import Evaluation
from tiendo.analytics.present import data_through_text, present
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.formats import (
    adx_chunks,
    dhis2_csv_chunks,
    dhis2_json_chunks,
    dhis2_periods_check,
    values_for_export,
)
from tiendo.exchange.tables import XLSX_TYPE, csv_text, xlsx_bytes
from tiendo.exchange.template import template_build
from tiendo.language import current_lang

VALUE_FORMATS = {
    "dhis2-json": ("application/json", "json"),
    "dhis2-csv": ("text/csv; charset=utf-8", "csv"),
    "adx": ("application/adx+xml", "adx.xml"),
}
__all__ = ["XLSX_TYPE", "evaluation_file", "problem", "template_file", "values_file"]


def problem(message: str, field: str = "") -> Problem:
    return Problem(message, field=field)


def template_file(choice) -> tuple[bytes, str]:
    content = template_build(data_set=choice.data_set, unit=choice.unit, period=choice.period)
    return content, f"{choice.data_set.code}_{choice.unit.code}_{choice.period.code}.xlsx"


def values_file(choice, *, fmt: str, scope: Scope | None) -> tuple[Iterator[str], str, str]:
    """Stored values of the unit and the units below it, within the period, as chunks."""
    if fmt not in VALUE_FORMATS:
        raise InvalidInput([Problem(
            _("unknown format; expected one of %(values)s") % {"values": ", ".join(VALUE_FORMATS)},
            field="format", value=fmt)])
    values = values_for_export(
        unit=choice.unit, period=choice.period, data_set=choice.data_set,
        scope_filter=None if scope is None else scope.unit_filter("org_unit__"))
    content_type, extension = VALUE_FORMATS[fmt]
    periods = dhis2_periods_check(values)  # refused before the first byte is sent
    if fmt == "dhis2-json":
        chunks = dhis2_json_chunks(values, periods)
    elif fmt == "dhis2-csv":
        chunks = _with_bom(dhis2_csv_chunks(values, periods))
    else:
        chunks = adx_chunks(values, data_set=choice.data_set, periods=periods)
    name = "_".join(filter(None, [choice.data_set.code if choice.data_set else "values",
                                  choice.unit.code, choice.period.code]))
    return chunks, content_type, f"{name}.{extension}"


def _with_bom(chunks: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from chunks


def evaluation_rows(evaluation: Evaluation) -> tuple[str, list[str], list[list]]:
    """The evaluation table as a title, headings and rows of numbers and text, each row the
    engine's result as `tiendo.analytics.present` shows it everywhere."""
    lang = current_lang()
    headers = [_("Indicator"), _("Unit of measure"), _("Target"), _("Actual"),
               _("Estimate"), _("% of target"), pgettext("verdict on a target", "Status"),
               _("At risk"),
               _("Same period last year"), _("Forecast"), _("Expected by now")]
    rows = []
    for r in evaluation.results:
        row = present(r, lang)
        rows.append([
            row.indicator, row.unit_of_measure, row.target_text, row.actual,
            _("yes") if r.estimate else "", row.achievement_pct, row.status_text,
            _("yes") if r.at_risk else "", row.last_year, row.forecast, row.expected_pct,
        ])
    title = f"{evaluation.unit.name} — {evaluation.period.label(lang)}"
    through = data_through_text(evaluation.data_through, lang)
    return (f"{title} ({through})" if through else title), headers, rows


def evaluation_file(evaluation: Evaluation, *, fmt: str) -> tuple[bytes, str, str]:
    title, headers, rows = evaluation_rows(evaluation)
    name = f"evaluation_{evaluation.unit.code}_{evaluation.period.code}"
    if fmt == "xlsx":
        return xlsx_bytes(title=title, headers=headers, rows=rows), XLSX_TYPE, f"{name}.xlsx"
    if fmt == "csv":
        return (csv_text(headers=headers, rows=rows).encode("utf-8"), "text/csv; charset=utf-8",
                f"{name}.csv")
    raise InvalidInput([Problem(_("unknown format; expected one of %(values)s")
                                % {"values": "xlsx, csv"}, field="format", value=fmt)])

"""Files the faces hand out: templates, value exports, the evaluation table. One place, so
the page, the API and the CLI give the same file for the same question."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from tiendo.accounts.access import Scope
from tiendo.analytics.evaluation import Evaluation
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.formats import (
    adx_chunks,
    dhis2_csv_chunks,
    dhis2_json_chunks,
    values_for_export,
)
from tiendo.exchange.tables import XLSX_TYPE, csv_text, xlsx_bytes
from tiendo.exchange.template import template_build
from tiendo.language import current_lang
from tiendo.lib.describe import describe_target
from tiendo.lib.numbers import round_half_up

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
    if fmt == "dhis2-json":
        chunks = dhis2_json_chunks(values)
    elif fmt == "dhis2-csv":
        chunks = _with_bom(dhis2_csv_chunks(values))
    else:
        chunks = adx_chunks(values, data_set=choice.data_set)
    name = "_".join(filter(None, [choice.data_set.code if choice.data_set else "values",
                                  choice.unit.code, choice.period.code]))
    return chunks, content_type, f"{name}.{extension}"


def _with_bom(chunks: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from chunks


def evaluation_rows(evaluation: Evaluation) -> tuple[str, list[str], list[list]]:
    """The evaluation table as a title, headings and rows of numbers and text: every figure
    comes from the engine; rounding is for display only (achievement to 2 decimals)."""
    lang = current_lang()
    labels = {"exceeded": _("exceeded"), "met": _("met"), "near": _("nearly met"),
              "not_met": _("not met"), "no_data": _("no data")}
    headers = [_("Indicator"), _("Unit of measure"), _("Target"), _("Actual"),
               _("Estimate"), _("% of target"), _("Status"), _("At risk"),
               _("Same period last year"), _("Forecast")]
    rows = []
    for r in evaluation.results:
        indicator = r.target.indicator
        rows.append([
            indicator.name, indicator.unit_vi,
            describe_target(r.target.comparison, r.target.value, r.target.value_max,
                            indicator.decimals, lang),
            _display(r.actual, indicator.decimals),
            _("yes") if r.estimate else "",
            _display(r.achievement_pct, 2),
            labels[r.status.value],
            _("yes") if r.at_risk else "",
            _display(r.last_year, indicator.decimals),
            _display(r.forecast, indicator.decimals),
        ])
    title = f"{evaluation.unit.name} — {evaluation.period.label(lang)}"
    return title, headers, rows


def _display(value, decimals: int):
    return None if value is None else round_half_up(value, decimals)


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

"""DHIS2 data value sets (JSON and CSV) and ADX (ISO/IHE aggregate data exchange, XML):
export of stored values, and ADX periods both ways. Reading these files is in
`tiendo.exchange.readers`.

Everything is by code: data element codes, official unit codes (resolved with the end of
the period), period codes; ADX periods are written the ISO 8601 way ("2024-07-01/P3M").
Exports are generators, so a large export streams instead of filling memory.
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import quoteattr

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput, Problem
from tiendo.indicators.models import DataSet
from tiendo.lib.numbers import plain_number
from tiendo.lib.periods import (
    Period,
    PeriodError,
    PeriodType,
    month,
    multi_year,
    parse_period,
    quarter,
    semester,
    year,
    year_to_date,
)
from tiendo.lib.text import neutralise
from tiendo.org.models import OrgUnit

ADX_NS = "urn:ihe:qrph:adx:2015"
# Our own attribute for the estimate flag (ước), in a namespace of ours so that the ADX
# schema's anyAttribute admits it and no ADX reader takes it for a disaggregation.
TIENDO_NS = "urn:tiendo:exchange"
ESTIMATE_ATTR = f"{{{TIENDO_NS}}}estimate"
# Period types DHIS2 has a period for; a year-to-date period is one only when it is a whole
# quarter, half-year or year from January (converted), a multi-year period only for a year.
DHIS2_PERIOD_TYPES = frozenset({PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SEMESTER,
                                PeriodType.YEAR})
CSV_HEADER = ["dataelement", "period", "orgunit", "categoryoptioncombo",
              "attributeoptioncombo", "value", "storedby", "lastupdated", "comment",
              "followup", "deleted"]
_ADX_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YM])$")


# --- what to export ---------------------------------------------------------------------


def values_for_export(
    *, unit: OrgUnit, period: Period, data_set: DataSet | None = None,
    with_descendants: bool = True, scope_filter: Q | None = None,
) -> QuerySet[DataValue]:
    """Stored values of `unit` (and the units below it) whose period lies within `period`,
    of the data set's elements if given; ordered for grouping by unit and period."""
    units = Q(org_unit__path__startswith=unit.path) if with_descendants else Q(org_unit=unit)
    rows = DataValue.objects.filter(
        units, period_start__gte=period.start, period_end__lte=period.end
    )
    if data_set is not None:
        rows = rows.filter(data_element__in=data_set.elements.all())
    if scope_filter is not None:
        rows = rows.filter(scope_filter)
    return rows.order_by("org_unit__path", "period_start", "period", "data_element__code",
                         "part")


def _rows(values: QuerySet[DataValue]) -> Iterator[tuple]:
    return values.values_list(
        "data_element__code", "period", "org_unit__code", "part", "value", "estimate",
        "comment", "updated_at", "updated_by__username", "data_element__disaggregation__code",
        "source",
    ).iterator(chunk_size=5000)


def dhis2_period(code: str) -> str:
    """The period code DHIS2 knows for ours: the same code, or a year-to-date period that is
    exactly a month, a half-year or a year from January ("2024YTD06" → "2024S1");
    InvalidInput for one DHIS2 has no period for (nine months, five years)."""
    period = parse_period(code)
    if period.type in DHIS2_PERIOD_TYPES:
        return period.code
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    if period.type == PeriodType.YEAR_TO_DATE and months in (1, 3, 6, 12):
        return {1: month(period.start.year, 1), 3: quarter(period.start.year, 1),
                6: semester(period.start.year, 1), 12: year(period.start.year)}[months].code
    if period.type == PeriodType.MULTI_YEAR and months == 12:
        return year(period.start.year).code
    raise InvalidInput([Problem(
        _("%(period)s has no DHIS2 period (DHIS2 knows months, quarters, half-years and "
          "years): export its months, quarters or years instead") % {"period": code},
        field="period", value=code)])


def dhis2_periods_check(values: QuerySet[DataValue]) -> dict[str, str]:
    """Our period code → DHIS2's, for the periods among `values` that need converting;
    InvalidInput, before anything is written, when one cannot be held by DHIS2."""
    codes = values.exclude(period_type__in=[str(t) for t in DHIS2_PERIOD_TYPES]).values_list(
        "period", flat=True).distinct()
    return {code: dhis2_period(code) for code in codes}


def stored_by(user: str | None, source: str) -> str:
    """DHIS2's storedBy: the user, else where the value came from (a command-line import
    names its file), else this system."""
    return user or source or "tiendo"


def dhis2_time(moment: datetime.datetime) -> str:
    """A timestamp the way DHIS2 writes one: 2024-03-01T08:30:00.000+0000 (UTC)."""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


# --- DHIS2 JSON and CSV -----------------------------------------------------------------


def dhis2_json_chunks(values: QuerySet[DataValue],
                      periods: dict[str, str] | None = None) -> Iterator[str]:
    """{"idScheme": "CODE", "dataValues": [...]} in pieces, each value as DHIS2 writes it
    (storedBy, lastUpdated, followup); `estimate` is our own field (DHIS2 ignores it)."""
    periods = dhis2_periods_check(values) if periods is None else periods
    yield '{"idScheme": "CODE", "dataValues": ['
    first = True
    for element, period, unit, part, value, estimate, comment, updated, by, _dis, source in (
        _rows(values)
    ):
        item = {"dataElement": element, "period": periods.get(period, period), "orgUnit": unit,
                "value": plain_number(value)}
        if part:
            item["categoryOptionCombo"] = part
        if comment:
            item["comment"] = comment
        item["storedBy"] = stored_by(by, source)
        item["lastUpdated"] = dhis2_time(updated)
        item["followup"] = False
        if estimate:
            item["estimate"] = True
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def dhis2_csv_chunks(values: QuerySet[DataValue],
                     periods: dict[str, str] | None = None) -> Iterator[str]:
    """DHIS2's CSV columns (plus `estimate`), with text cells neutralised for spreadsheets."""
    periods = dhis2_periods_check(values) if periods is None else periods
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_HEADER, "estimate"])
    for count, (element, period, unit, part, value, estimate, comment, updated, by, _dis,
                source) in enumerate(_rows(values), start=1):
        writer.writerow([element, periods.get(period, period), unit, part, "",
                         plain_number(value), neutralise(stored_by(by, source)),
                         dhis2_time(updated), neutralise(comment),
                         "false", "false", "true" if estimate else "false"])
        if count % 2000 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


# --- ADX --------------------------------------------------------------------------------


def adx_period(period: Period) -> str:
    """ISO 8601 start and duration: 2024 → 2024-01-01/P1Y, 2024Q3 → 2024-07-01/P3M."""
    start = period.start
    if period.type in (PeriodType.YEAR, PeriodType.MULTI_YEAR):
        years = period.end.year - start.year + 1
        return f"{start.isoformat()}/P{years}Y"
    months = (period.end.year - start.year) * 12 + period.end.month - start.month + 1
    return f"{start.isoformat()}/P{months}M"


def period_from_adx(text: str) -> Period:
    """The period an ADX start/duration names; PeriodError when it is none of ours."""
    match = _ADX_PERIOD.match(text.strip())
    if match is None:
        raise PeriodError(_("expected a start date and a duration, e.g. 2024-07-01/P3M"))
    y, m, d, count, unit = match.groups()
    y, m, d, count = int(y), int(m), int(d), int(count)
    if d != 1 or count < 1:
        raise PeriodError(_("a period must start on the first day of a month"))
    if unit == "Y":
        if m != 1:
            raise PeriodError(_("a period of years must start on 1 January"))
        return year(y) if count == 1 else multi_year(y, y + count - 1)
    if count == 1:
        return month(y, m)
    if count == 3 and m in (1, 4, 7, 10):
        return quarter(y, (m + 2) // 3)
    if count == 6 and m in (1, 7):
        return semester(y, 1 if m == 1 else 2)
    if m == 1 and count <= 12:
        return year_to_date(y, count)
    raise PeriodError(_("no period of this system starts then and lasts that long"))


def adx_chunks(values: QuerySet[DataValue], *, data_set: DataSet | None = None,
               periods: dict[str, str] | None = None) -> Iterator[str]:
    """ADX XML, one <group> per unit and period; a disaggregation part is an attribute named
    after the disaggregation (destination_country="JP"), the comment a `comment` attribute
    (as DHIS2 reads it; DHIS2 copies an <annotation> into the value), the estimate flag our
    own namespaced attribute."""
    periods = dhis2_periods_check(values) if periods is None else periods
    exported = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="{ADX_NS}" '
           f'xmlns:tiendo="{TIENDO_NS}" exported="{exported}">\n')
    group = None
    data_set_attr = f" dataSet={quoteattr(data_set.code)}" if data_set is not None else ""
    for element, period, unit, part, value, estimate, comment, _upd, _by, dis, _src in (
        _rows(values)
    ):
        if group != (unit, period):
            if group is not None:
                yield "  </group>\n"
            group = (unit, period)
            adx = adx_period(parse_period(periods.get(period, period)))
            yield (f"  <group orgUnit={quoteattr(unit)} "
                   f"period={quoteattr(adx)}{data_set_attr}>\n")
        part_attr = f" {dis}={quoteattr(part)}" if part and dis else ""
        comment_attr = f" comment={quoteattr(comment)}" if comment else ""
        estimate_attr = ' tiendo:estimate="true"' if estimate else ""
        yield (f"    <dataValue dataElement={quoteattr(element)}{part_attr} "
               f"value={quoteattr(plain_number(value))}{comment_attr}{estimate_attr}/>\n")
    if group is not None:
        yield "  </group>\n"
    yield "</adx>\n"


def join(chunks: Iterable[str]) -> str:
    return "".join(chunks)

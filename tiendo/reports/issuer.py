"""Who issues a report, drafted from the unit and its settings (`ReportIssuer`): the unit in
force on the report's date (a report of a dissolved unit is issued by its successor, and
its figures are labelled "(trước sắp xếp)"), the full place name, and the layout of a
People's Committee's or a department's report (Decree 30/2020, Appendix I)."""

import datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tiendo.org.models import OrgUnit
from tiendo.reports.models import ReportIssuer

# The place on the date line is the unit's name without its kind, except a city's, whose
# full name is the place ("Thành phố Hồ Chí Minh", "Thành phố Huế").
_PLACE_PREFIXES = ("Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Thị trấn ",
                   "Đặc khu ")


def place_of(unit: OrgUnit) -> str:
    """"Tỉnh Tây Ninh" → "Tây Ninh"; "Thành phố Hồ Chí Minh" stays whole."""
    for prefix in _PLACE_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name


def area_name(unit: OrgUnit) -> str:
    """The unit's name with its kind, as a Vietnamese body's name says it: "Tỉnh Tây Ninh" (a
    province stored as "Tây Ninh"), "Thành phố Hồ Chí Minh"; in English the name alone."""
    if get_language() == "en":
        return unit.name
    if unit.kind == "province" and not unit.name.startswith(("Tỉnh ", "Thành phố ")):
        return f"Tỉnh {unit.name}"
    return unit.name


def unit_in_force(unit: OrgUnit, day: datetime.date) -> OrgUnit:
    """The unit that exists on `day` for `unit`: itself, or the successor (the one taking the
    largest share) of a unit dissolved in a reorganisation, followed to the end."""
    seen = set()
    while unit.valid_to is not None and unit.valid_to < day and unit.pk not in seen:
        seen.add(unit.pk)
        link = unit.successor_links.select_related("successor").order_by("-share").first()
        if link is None:
            break
        unit = link.successor
    return unit


def issuer_params(*, unit: OrgUnit, day: datetime.date) -> dict:
    """The title-block parameters of a report on `unit` issued on `day`."""
    issuer = unit_in_force(unit, day)
    settings = ReportIssuer.objects.filter(org_unit=issuer).first()
    area = area_name(issuer)
    committee = _("PEOPLE'S COMMITTEE OF %(unit)s") % {"unit": area.upper()}
    deputy = settings is not None and settings.signer_is_deputy
    office = settings.archive_office if settings else ""
    archive = _("Archive: VT") + (f", {office}" if office else "")
    if settings is not None and settings.layout == ReportIssuer.Layout.DEPARTMENT:
        addressee = settings.addressee or _("People's Committee of %(unit)s") % {"unit": area}
        params = {
            "layout": "department",
            "parent_body": committee,
            "issuing_body": settings.department_name,
            "symbol": "BC-" + (settings.department_symbol or "S"),
            "signer_authority": _("P.P. THE DIRECTOR") if deputy else "",
            "signer_title": _("DEPUTY DIRECTOR") if deputy else _("DIRECTOR"),
            "addressee": addressee,
        }
    else:
        params = {
            "layout": "committee",
            "parent_body": "",
            "issuing_body": committee,
            "symbol": "BC-UBND",
            "signer_authority": (_("P.P. THE CHAIRPERSON") if deputy
                                 else _("ON BEHALF OF THE PEOPLE'S COMMITTEE")),
            "signer_title": _("VICE CHAIRPERSON") if deputy else _("CHAIRPERSON"),
            "addressee": settings.addressee if settings else "",
        }
    params.update({
        "place": place_of(issuer),
        "signer_name": settings.signer_name if settings else "",
        "recipients": [_("As above"), archive] if params["addressee"] else [archive],
    })
    params["issuer"] = {"code": issuer.code, "name": issuer.name,
                        "before_reorganisation": issuer.pk != unit.pk}
    return params

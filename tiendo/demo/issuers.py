"""Who issues and signs the demo's reports: Ho Chi Minh City's Department of Labour, War
Invalids and Social Affairs (its 2022 report is the department's), and Tây Ninh's People's
Committee, which reports to the Ministry of Home Affairs. The names are made up."""

import datetime

from tiendo.org.selectors import orgunit_resolve
from tiendo.reports.models import ReportIssuer

ISSUERS = (
    ("79", datetime.date(2022, 12, 31), {
        "layout": ReportIssuer.Layout.DEPARTMENT,
        "department_name": "Sở Lao động - Thương binh và Xã hội",
        "department_symbol": "SLĐTBXH", "signer_name": "Lê Minh Tâm",
        "signer_is_deputy": True, "archive_office": "VP"}),
    # Since 1 July 2025 the city is larger and labour belongs to the Department of Home Affairs.
    ("79", datetime.date(2026, 1, 1), {
        "layout": ReportIssuer.Layout.DEPARTMENT, "department_name": "Sở Nội vụ",
        "department_symbol": "SNV", "signer_name": "Lê Minh Tâm", "archive_office": "VP"}),
    ("80", datetime.date(2026, 1, 1), {
        "layout": ReportIssuer.Layout.COMMITTEE, "signer_name": "Nguyễn Thanh Bình",
        "addressee": "Bộ Nội vụ", "archive_office": "KTTC"}),
)


def demo_issuers_load() -> None:
    """Create or update the demo's report issuers (idempotent)."""
    for code, day, fields in ISSUERS:
        ReportIssuer.objects.update_or_create(org_unit=orgunit_resolve(code=code, on=day),
                                              defaults=fields)

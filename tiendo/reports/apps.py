from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tiendo.reports"
    label = "reports"
    verbose_name = _("Reports")
    # Action.READ by value: tiendo.accounts.access imports models, which apps.py may not.
    nav_items = [
        (60, _("Reports"), "reports:index", "read"),
        (70, _("Reporting schedule"), "reports:schedules", "read"),
    ]

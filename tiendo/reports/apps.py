from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class ReportsConfig(AppConfig):
    name = "tiendo.reports"
    label = "reports"
    verbose_name = _("Reports")
    nav_items = [
        (60, _("Reports"), "reports:index", Action.READ),
        (70, _("Reporting schedule"), "reports:schedules", Action.READ),
    ]

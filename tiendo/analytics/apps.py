from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class AnalyticsConfig(AppConfig):
    name = "tiendo.analytics"
    label = "analytics"
    verbose_name = _("Dashboard")
    nav_items = [(10, _("Dashboard"), "home", Action.READ),
                 (12, _("Targets side by side"), "compare", Action.READ)]

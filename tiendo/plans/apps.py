from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tiendo.plans"
    label = "plans"
    verbose_name = _("Plans and targets")
    # The list is for every reader; writing pages check PLAN on the set and unit themselves.
    # "read" is tiendo.accounts.access.Action.READ (a StrEnum), which cannot be imported
    # while the app registry loads.
    nav_items = [(30, _("Targets"), "plans:targetset-list", "read")]

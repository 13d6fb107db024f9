from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class PlansConfig(AppConfig):
    name = "tiendo.plans"
    label = "plans"
    verbose_name = _("Plans and targets")
    # The list is for every reader; writing pages check PLAN on the set and unit themselves.
    nav_items = [(40, _("Targets"), "plans:targetset-list", Action.READ)]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class FrontConfig(AppConfig):
    name = "tiendo.front"
    label = "front"
    verbose_name = _("Pages")
    nav_items = [
        (10, _("Dashboard"), "home", Action.READ),
        (20, _("Data entry"), "entry", Action.ENTER),
        (30, _("Approval"), "approval", Action.READ),
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class DataConfig(AppConfig):
    name = "tiendo.data"
    label = "datavalues"
    verbose_name = _("Data")
    nav_items = [
        (20, _("Data entry"), "entry", Action.ENTER),
        (30, _("Approval"), "approval", Action.READ),
    ]

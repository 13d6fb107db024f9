from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class AssignmentsConfig(AppConfig):
    name = "tiendo.assignments"
    label = "assignments"
    verbose_name = _("Tasks and programmes")
    nav_items = [(45, _("Tasks"), "assignments:mine", Action.READ)]

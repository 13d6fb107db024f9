from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "tiendo.poverty"
    label = "poverty"
    verbose_name = _("Poverty review")

    @property
    def nav_items(self):
        from tiendo.accounts.access import Action

        return [(70, _("Poverty review"), "poverty:home", Action.READ)]

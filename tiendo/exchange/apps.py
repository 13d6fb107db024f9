from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tiendo.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    @property
    def nav_items(self):
        from tiendo.accounts.access import Action

        return [(60, _("Excel and files"), "exchange:home", Action.READ)]

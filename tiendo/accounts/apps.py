from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.actions import Action


class AccountsConfig(AppConfig):
    name = "tiendo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    nav_items = [(90, _("Users"), "people", Action.USERS)]

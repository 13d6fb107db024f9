from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    name = "tiendo.data"
    label = "datavalues"
    verbose_name = _("Data")

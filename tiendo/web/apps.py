from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The face kit every page uses: base template, stylesheet, error pages, the page
    decorator, downloads, charts, the template filters and the middleware."""

    name = "tiendo.web"
    label = "web"
    verbose_name = _("Pages")

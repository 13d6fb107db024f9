from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "tiendo.poverty"
    label = "poverty"
    verbose_name = _("Poverty review")

    def ready(self):
        from tiendo.analytics.completeness import COVERAGE_SOURCES
        from tiendo.poverty.selectors import review_coverage

        if review_coverage not in COVERAGE_SOURCES:
            COVERAGE_SOURCES.append(review_coverage)

    @property
    def nav_items(self):
        from tiendo.accounts.access import Action

        return [(70, _("Poverty review"), "poverty:home", Action.READ)]

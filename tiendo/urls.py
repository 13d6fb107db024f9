from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tiendo.api.app import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("accounts/", include("tiendo.accounts.urls")),
        path("targets/", include("tiendo.plans.urls")),
        path("exchange/", include("tiendo.exchange.urls")),
        path("reports/", include("tiendo.reports.urls")),
        path("", include("tiendo.data.urls")),
        path("", include("tiendo.analytics.urls")),
        prefix_default_language=False,
    ),
]

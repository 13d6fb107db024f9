from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from tiendo.api.app import api

# The admin says whose it is, in the user's language ("Quản trị Tiến Độ").
admin.site.site_header = admin.site.site_title = gettext_lazy("Tiến Độ administration")
admin.site.index_title = gettext_lazy("Administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("accounts/", include("tiendo.accounts.urls")),
        path("targets/", include("tiendo.plans.urls")),
        path("exchange/", include("tiendo.exchange.urls")),
        path("reports/", include("tiendo.reports.urls")),
        path("tasks/", include("tiendo.assignments.urls")),
        path("poverty/", include("tiendo.poverty.urls")),
        path("", include("tiendo.data.urls")),
        path("", include("tiendo.analytics.urls")),
        prefix_default_language=False,
    ),
]

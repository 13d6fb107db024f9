from django.urls import path

from tiendo.front.views import approval, dashboard, entry

urlpatterns = [
    path("", dashboard.dashboard, name="home"),
    path("entry/", entry.entry, name="entry"),
    path("approval/", approval.queue, name="approval"),
    path("approval/decide/", approval.decide, name="approval-decide"),
    path("history/<int:value_id>/", entry.history, name="value-history"),
]

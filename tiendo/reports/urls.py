from django.urls import path

from tiendo.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/build/", views.build, name="build"),
    path("<int:report_id>/status/", views.status, name="status"),
    path("<int:report_id>/download/", views.download, name="download"),
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/<int:schedule_id>/", views.schedule_status_page, name="schedule"),
    path("schedules/<int:schedule_id>/remind/", views.schedule_remind, name="remind"),
]

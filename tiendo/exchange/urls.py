from django.urls import path

from tiendo.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("template/", views.template_download, name="template"),
    path("export/", views.export_download, name="export"),
    path("uploads/", views.upload_create, name="upload-create"),
    path("uploads/<int:upload_id>/", views.upload_detail, name="upload"),
    path("uploads/<int:upload_id>/status/", views.upload_status, name="upload-status"),
    path("uploads/<int:upload_id>/store/", views.upload_store, name="upload-store"),
    path("uploads/<int:upload_id>/map/", views.upload_map, name="upload-map"),
]

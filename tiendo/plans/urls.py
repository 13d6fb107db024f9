from django.urls import path

from tiendo.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.targetset_list, name="targetset-list"),
    path("new/", views.targetset_create, name="targetset-create"),
    path("<int:set_id>/", views.targetset_detail, name="targetset"),
    path("<int:set_id>/template/", views.targetset_template, name="targetset-template"),
    path("<int:set_id>/add/", views.target_edit, name="target-add"),
    path("<int:set_id>/<int:target_id>/edit/", views.target_edit, name="target-edit"),
    path("<int:set_id>/<int:target_id>/delete/", views.target_remove, name="target-delete"),
    path("<int:set_id>/<int:target_id>/allocate/", views.target_allocate,
         name="target-allocate"),
]

from django.urls import path

from tiendo.poverty import views

app_name = "poverty"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:unit_id>/<int:year>/", views.review, name="review"),
    path("<int:unit_id>/<int:year>/households/", views.households, name="households"),
    path("<int:unit_id>/<int:year>/steps/", views.step, name="step"),
    path("standards/<int:unit_id>/", views.standards, name="standards"),
    path("standards/<int:unit_id>/new/", views.standard_edit, name="standard_new"),
    path("standards/<int:unit_id>/<int:standard_id>/", views.standard_edit,
         name="standard_edit"),
    path("standards/<int:unit_id>/<int:standard_id>/delete/", views.standard_delete,
         name="standard_delete"),
]

from django.urls import path

from tiendo.analytics import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("compare/", views.compare, name="compare"),
]

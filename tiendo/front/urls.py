from django.urls import path

from tiendo.front import views

urlpatterns = [path("", views.home, name="home")]

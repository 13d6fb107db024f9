from django.urls import path

from tiendo.assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("overdue/", views.overdue, name="overdue"),
    path("document/<int:document_id>/", views.document, name="document"),
    path("<int:task_id>/", views.detail, name="task"),
]

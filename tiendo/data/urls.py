from django.urls import path

from tiendo.data import views

urlpatterns = [
    path("entry/", views.entry, name="entry"),
    path("approval/", views.queue, name="approval"),
    path("approval/decide/", views.decide, name="approval-decide"),
    path("approval/approve/", views.approve_many, name="approval-approve-many"),
    path("approval/<int:submission_id>/", views.review, name="approval-review"),
    path("history/<int:value_id>/", views.history, name="value-history"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from tiendo.accounts import views
from tiendo.accounts.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Choosing a password from the e-mailed link (a new user), or after forgetting it.
    path("password/forgotten/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_forgotten.html",
        email_template_name="accounts/password_forgotten_email.txt",
        subject_template_name="accounts/password_forgotten_subject.txt"),
        name="password_reset"),
    path("password/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_sent.html"), name="password_reset_done"),
    path("password/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_set.html"), name="password_reset_confirm"),
    path("password/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_done.html"), name="password_reset_complete"),
    path("users/", views.people, name="people"),
    path("users/add/", views.people_add_view, name="people-add"),
    path("users/import/", views.people_import_view, name="people-import"),
    path("users/<int:user_id>/", views.person, name="person"),
]

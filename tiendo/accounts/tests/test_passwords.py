import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tiendo.accounts.services import user_with_membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["tiendo-9", "1234567890123", "password123"])
def test_it_refuses_a_short_numeric_or_common_password(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_accepts_the_demo_password():
    validate_password("tiendo-demo")


def test_a_password_chosen_in_a_form_is_checked(world):
    form = SetPasswordForm(world.users["officer"],
                           {"new_password1": "short-pw", "new_password2": "short-pw"})
    assert not form.is_valid()
    assert "too short" in str(form.errors["new_password2"])


def test_a_password_set_by_the_loaders_is_not_checked(world):
    user = user_with_membership(username="lead", password="x", role="viewer",
                                org_unit=world.province, actor="test")
    assert user.check_password("x")

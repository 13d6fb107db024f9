"""Adding, re-assigning and deactivating people; the workbook import; the e-mailed link to
choose a password; and the rule that nobody grants above their role or outside their scope."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from openpyxl import Workbook

from tiendo.accounts.access import user_scope
from tiendo.accounts.models import Membership
from tiendo.accounts.people import (
    PersonInput,
    people_add,
    people_import,
    person_add,
    person_change,
    person_for,
)
from tiendo.audit.models import AuditRecord
from tiendo.errors import Forbidden, InvalidInput, NotFound
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The e-mails go once the people are stored: what runs inside it is committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _book(*rows) -> bytes:
    book, out = Workbook(), io.BytesIO()
    book.active.title = "Cán bộ"
    for row in rows:
        book.active.append(list(row))
    book.save(out)
    return out.getvalue()


def test_it_adds_an_officer_who_chooses_a_password_from_the_emailed_link(world, committed):
    with committed():
        user = person_add(actor_user=world.users["specialist"], full_name="Nguyễn Thị Lan",
                          email="lan@tanninh.gov.vn", role="officer", unit_code="25459",
                          base_url=BASE)
    assert user.membership.org_unit == world.commune and user.membership.role == "officer"
    assert not user.has_usable_password()
    assert AuditRecord.objects.filter(entity="user", entity_id=user.pk, action="create",
                                      actor="specialist").exists()
    assert mail.outbox[-1].to == ["lan@tanninh.gov.vn"]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "mùa-lúa-chín-2026",
                                                    "new_password2": "mùa-lúa-chín-2026"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mùa-lúa-chín-2026")
    # The link works once.
    assert b"new_password1" not in Client().get(link, follow=True).content


def test_it_refuses_a_role_above_ones_own_or_a_unit_outside_the_scope(world):
    with pytest.raises(InvalidInput) as raised:
        person_add(actor_user=world.users["specialist"], full_name="A", email="a@x.vn",
                   role="admin", unit_code="", base_url=BASE)
    assert "above your own" in str(raised.value)
    with pytest.raises(InvalidInput) as raised:
        person_add(actor_user=world.users["specialist"], full_name="B", email="b@x.vn",
                   role="officer", unit_code="79", base_url=BASE)
    assert "outside your scope" in str(raised.value)
    for role in ("officer", "viewer"):
        with pytest.raises(Forbidden):
            person_add(actor_user=world.users[role], full_name="C", email="c@x.vn",
                       role="officer", unit_code="25459", base_url=BASE)
    assert not Membership.objects.filter(user__email__in=["a@x.vn", "b@x.vn", "c@x.vn"])


def test_a_specialist_reassigns_and_deactivates_an_officer_of_their_province(world):
    officer = person_for(actor_user=world.users["specialist"], user_id=world.users["officer"].pk)
    assert person_change(actor_user=world.users["specialist"], user=officer, role="officer",
                         unit_code="25480", active=False, reason="chuyển công tác")
    officer.refresh_from_db()
    assert officer.membership.org_unit == world.sibling and not officer.is_active
    record = AuditRecord.objects.filter(entity="user", entity_id=officer.pk).order_by("pk").last()
    assert record.new == {"org_unit": "25480", "active": False}
    assert record.reason == "chuyển công tác"


def test_nobody_changes_a_person_above_them_or_outside_their_scope(world):
    specialist = world.users["specialist"]
    for other in ("admin", "stranger"):
        with pytest.raises(NotFound):
            person_for(actor_user=specialist, user_id=world.users[other].pk)
    viewer = person_for(actor_user=specialist, user_id=world.users["viewer"].pk)
    with pytest.raises(InvalidInput):  # a viewer may not be made an administrator
        person_change(actor_user=specialist, user=viewer, role="admin", unit_code="",
                      active=True)
    with pytest.raises(InvalidInput):  # nor oneself deactivated
        person_change(actor_user=specialist, user=specialist, role="specialist",
                      unit_code="80", active=False)


def test_the_import_adds_everyone_or_nobody_and_locates_every_problem(world, committed):
    header = ("Họ tên", "Email", "Mã đơn vị", "Vai trò")
    bad = _book(header, ("Trần Văn An", "an@x.vn", 25459, "Cán bộ đơn vị"),
                ("", "not-an-address", "25459", "officer"),
                ("Lê Bình", "binh@x.vn", "99999", "officer"),
                ("Phạm Chi", "chi@x.vn", "79", "officer"),
                ("Đỗ Dũng", "an@x.vn", "25480", "Quản trị viên"))
    with pytest.raises(InvalidInput) as raised:
        people_import(actor_user=world.users["specialist"], content=bad, base_url=BASE)
    where = {(p.line, p.field) for p in raised.value.problems}
    assert {(3, "name"), (3, "email"), (4, "unit"), (5, "unit"), (6, "email"),
            (6, "role")} <= where
    assert all(p.sheet == "Cán bộ" for p in raised.value.problems)
    assert not Membership.objects.filter(user__email="an@x.vn").exists()
    good = _book(header, ("Trần Văn An", "an@x.vn", 25459, "Cán bộ đơn vị"),
                 ("Lê Bình", "binh@x.vn", "25480", "viewer"))
    with committed():
        added = people_import(actor_user=world.users["specialist"], content=good,
                              base_url=BASE)
    assert [u.membership.org_unit.code for u in added] == ["25459", "25480"]
    assert len(mail.outbox) == 2


def test_an_import_without_the_named_columns_says_which_are_missing(world):
    with pytest.raises(InvalidInput) as raised:
        people_import(actor_user=world.users["admin"], content=_book(("Tên", "Email")),
                      base_url=BASE)
    assert "unit, role" in str(raised.value)


def test_a_second_person_with_the_same_address_is_refused(world):
    people_add(actor_user=world.users["admin"], base_url=BASE, people=[
        PersonInput(full_name="X", email="x@x.vn", role="officer", unit_code="25459")])
    with pytest.raises(InvalidInput, match="already exists"):
        people_add(actor_user=world.users["admin"], base_url=BASE, people=[
            PersonInput(full_name="X", email="X@x.vn", role="officer", unit_code="25459")])


def test_the_users_page_lists_only_the_people_in_scope_and_adds_one(world):
    client = EnglishClient()
    client.force_login(world.users["specialist"])
    page = client.get("/en/accounts/users/").content.decode()
    assert "officer" in page and "stranger" not in page
    assert "TP. Hồ Chí Minh" not in page  # not in the unit picker either
    wrong = client.post("/en/accounts/users/add/", {"name": "", "email": "x", "role": "admin",
                                                    "unit": "79"})
    assert wrong.status_code == 422
    text = wrong.content.decode()
    for message in ("name is missing", "not an e-mail address", "above your own"):
        assert message in text
    done = client.post("/en/accounts/users/add/", {"name": "Võ Hoa", "email": "hoa@x.vn",
                                                   "role": "officer", "unit": "25459"})
    assert done.status_code == 302
    assert user_scope(Membership.objects.get(user__email="hoa@x.vn").user).unit == world.commune


def test_the_admin_shows_and_audits_a_users_role_and_unit(world):
    client = Client()
    client.force_login(world.users["admin"])
    assert client.get("/admin/accounts/membership/").status_code == 200
    assert client.get("/admin/accounts/apitoken/").status_code == 200
    officer = world.users["officer"]
    page = client.get(f"/admin/auth/user/{officer.pk}/change/")
    assert b"membership-0-role" in page.content and b"api_tokens" in page.content
    membership = officer.membership
    data = {"username": officer.username, "first_name": "", "last_name": "", "email": "",
            "is_active": "on", "date_joined_0": "01/01/2026", "date_joined_1": "00:00:00",
            "initial-date_joined_0": "01/01/2026", "initial-date_joined_1": "00:00:00",
            "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "1",
            "membership-MIN_NUM_FORMS": "0", "membership-MAX_NUM_FORMS": "1",
            "membership-0-id": membership.pk, "membership-0-user": officer.pk,
            "membership-0-role": "officer", "membership-0-org_unit": world.sibling.pk,
            "api_tokens-TOTAL_FORMS": "0", "api_tokens-INITIAL_FORMS": "0",
            "api_tokens-MIN_NUM_FORMS": "0", "api_tokens-MAX_NUM_FORMS": "1000"}
    response = client.post(f"/admin/auth/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert membership.org_unit == world.sibling
    assert AuditRecord.objects.filter(entity="membership", actor="admin:admin").exists()

import pytest
from django.contrib.auth.models import User

ADMIN_PAGES = [
    "/admin/", "/admin/org/orgunit/", "/admin/indicators/dataelement/",
    "/admin/indicators/indicator/", "/admin/plans/targetset/", "/admin/plans/target/",
    "/admin/plans/target/add/", "/admin/datavalues/datavalue/", "/admin/audit/auditrecord/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_opens_every_admin_page(client, url):
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "x"))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_it_keeps_data_values_read_only_in_the_admin(client):
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "x"))
    assert client.get("/admin/datavalues/datavalue/add/").status_code == 403

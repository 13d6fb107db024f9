import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from tiendo.accounts.services import apitoken_create
from tiendo.accounts.throttle import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def _client(address="10.0.0.1", **headers) -> Client:
    return Client(REMOTE_ADDR=address, **{"HTTP_ACCEPT_LANGUAGE": "en", **headers})


def _log_in(client, username, password, path="/en/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_wrong_password_locks_the_user_out_and_says_until_when(world):
    client = _client()
    for _attempt in range(4):
        assert _log_in(client, "officer", "wrong").status_code == 200
    response = _log_in(client, "officer", "wrong")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "Try again after " in response.content.decode()
    assert _log_in(client, "officer", world.PASSWORD).status_code == 429
    assert not _logged_in(client)


def test_it_tells_a_locked_out_user_in_vietnamese(world):
    client = _client()
    for _attempt in range(5):
        response = _log_in(client, "officer", "wrong", path="/accounts/login/")
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "Hãy thử lại sau " in response.content.decode()


def test_one_address_cannot_lock_out_other_users_nor_other_addresses(world):
    attacker = _client("10.0.0.66")
    for _attempt in range(6):
        _log_in(attacker, "officer", "wrong")
    colleague = _client("10.0.0.66")
    assert _log_in(colleague, "specialist", world.PASSWORD).status_code == 302
    officer_elsewhere = _client("10.0.0.2")
    assert _log_in(officer_elsewhere, "officer", world.PASSWORD).status_code == 302


def test_a_success_clears_the_count(world):
    client = _client()
    for _attempt in range(4):
        _log_in(client, "officer", "wrong")
    assert _log_in(client, "officer", world.PASSWORD).status_code == 302
    client = _client()
    for _attempt in range(4):
        assert _log_in(client, "officer", "wrong").status_code == 200


def test_the_admin_log_in_is_throttled_too(world):
    client = _client()
    for _attempt in range(5):
        _log_in(client, "admin", "wrong", path="/admin/login/")
    response = _log_in(client, "admin", world.PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert not _logged_in(client)


def test_failures_are_counted_in_the_database_per_user_and_address(world):
    client = _client()
    for _attempt in range(3):
        _log_in(client, "officer", "wrong")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "officer", "10.0.0.1", 3)


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(world, settings):
    for forwarded in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        response = _log_in(_client(HTTP_X_FORWARDED_FOR=forwarded), "officer", "wrong")
    assert response.status_code == 429
    settings.TIENDO_TRUSTED_PROXIES = 1
    behind_proxy = _client(HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert _log_in(behind_proxy, "officer", world.PASSWORD).status_code == 302


def test_it_takes_the_address_the_trusted_proxies_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 7.7.7.7, 8.8.8.8")
    assert client_address(request) == "10.0.0.9"
    settings.TIENDO_TRUSTED_PROXIES = 1
    assert client_address(request) == "8.8.8.8"
    settings.TIENDO_TRUSTED_PROXIES = 2
    assert client_address(request) == "7.7.7.7"
    settings.TIENDO_TRUSTED_PROXIES = 4  # fewer entries than proxies: trust none of them
    assert client_address(request) == "10.0.0.9"


def test_wrong_tokens_lock_the_address_out_of_token_log_ins(world):
    token = apitoken_create(user=world.users["officer"])
    guesser = _client(HTTP_AUTHORIZATION="Bearer not-a-token")
    for _attempt in range(4):
        assert guesser.get("/api/v1/me").status_code == 401
    response = guesser.get("/api/v1/me")
    assert response.status_code == 429
    assert "Try again after " in response.json()["detail"]
    same_address = _client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert same_address.get("/api/v1/me").status_code == 429
    elsewhere = _client("10.0.0.2", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert elsewhere.get("/api/v1/me").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_failures_are_all_counted(world):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("threads share the database only on PostgreSQL here")

    def wrong(_attempt):
        try:
            return _log_in(_client(), "officer", "wrong").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(wrong, range(12)))
    counted = sum(a.failures_since_start for a in AccessAttempt.objects.all())
    assert counted == 12, statuses
    assert _log_in(_client(), "officer", world.PASSWORD).status_code == 429

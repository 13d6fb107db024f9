"""Failed logins are throttled per user name and per address, in Django's cache."""

from django.core.cache import cache

LIMIT = 5  # failures allowed in the window
WINDOW_SECONDS = 15 * 60


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:ip:{address}"]


def login_blocked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= LIMIT for key in _keys(username, address))


def login_failed(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


def login_succeeded(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])

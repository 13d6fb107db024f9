"""Test support shared by the apps' tests (imported by tests only)."""

from django.test import Client


class EnglishClient(Client):
    """Pages without a language prefix are Vietnamese (the default); page tests read them in
    English through the /en/ prefix, as the language switch does."""

    def generic(self, method, path, *args, **kwargs):
        if path.startswith("/") and not path.startswith(("/en/", "/api/", "/i18n/")):
            path = "/en" + path
        return super().generic(method, path, *args, **kwargs)

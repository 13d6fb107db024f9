"""The language of the request or command in progress, as the engine's functions take it."""

from django.utils.translation import get_language


def current_lang() -> str:
    """ "vi" or "en": the active Django language, Vietnamese unless English is active."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"

"""The language of the request or command in progress, as the engine's functions take it."""

from django.utils.translation import get_language

from tiendo.lib.language import language_of


def current_lang() -> str:
    """ "vi" or "en": the active Django language, Vietnamese unless English is active."""
    return language_of(get_language())

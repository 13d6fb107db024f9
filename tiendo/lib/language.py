"""The one reading of a language code: every function that words or formats takes "vi" or
"en", and this is how anything else ("en-US", "en_GB", "vi-VN", None) becomes one of them."""


def language_of(code: str | None) -> str:
    """ "en" for English in any spelling, "vi" for everything else (Vietnamese first)."""
    return "en" if (code or "").replace("_", "-").split("-")[0].lower() == "en" else "vi"

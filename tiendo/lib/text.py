"""Text from users made safe to store and to hand out: control characters found, and text a
spreadsheet would run as a formula neutralised.

Pure functions; the services turn what they find into a located problem, and every writer of
a .xlsx or .csv file neutralises its text cells with `neutralise` (`unneutralise` undoes it
when such a file comes back).
"""

import re

# Text starting with one of these is run by a spreadsheet (a tab or carriage return may come
# before the formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text, never run: a leading apostrophe when it would."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """The text `neutralise` was given: a file we wrote, uploaded again, reads as stored."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def control_character(text: str) -> int | None:
    """The position of the first NUL or other C0 control character (or DEL) except tab,
    newline and carriage return; None when the text has none. PostgreSQL refuses NUL in
    text, and the others are never typed on purpose."""
    found = CONTROL.search(text)
    return None if found is None else found.start()


def visible(text: str) -> str:
    """The text with each control character written as an escape (\\x00), to show it or
    keep it where a database refuses NUL (a problem's value in an upload's report)."""
    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)

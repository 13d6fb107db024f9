"""Vietnamese is the default and must be complete: every marked string has a translation.

The catalogue is `tiendo/locale/` plus any app's own `locale/` (Django merges them), so that
apps can keep their messages beside their code.
"""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
POS = sorted(ROOT.glob("**/locale/vi/LC_MESSAGES/django.po"))
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2)}


def _read(po: Path):
    with po.open("rb") as handle:
        return read_po(handle)


def _catalog():
    merged = _read(POS[0])
    for po in POS[1:]:
        for message in _read(po):
            if message.id:
                merged[message.id] = message
    return merged


def test_it_translates_every_python_string_into_vietnamese():
    catalog = _catalog()
    missing = []
    for filename, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map=[("**/tests/**.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid, context=context)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{filename}: {msgid}")
    assert missing == []


def test_it_has_no_untranslated_or_fuzzy_entries():
    catalog = _catalog()
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert bad == []


def test_it_ships_a_compiled_catalogue_matching_each_po_file():
    for po in POS:
        with (po.with_suffix(".mo")).open("rb") as handle:
            compiled = read_mo(handle)
        for message in _read(po):
            if message.id:
                found = compiled.get(message.id, context=message.context)
                assert found is not None, (po, message.id)
                assert found.string == message.string, (po, message.id)


def test_it_translates_every_template_string_into_vietnamese(settings):
    """Templates are turned into gettext calls the way makemessages does, then checked."""
    import io

    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    catalog = _catalog()
    missing = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        code = templatize(template.read_text(encoding="utf-8"), origin=str(template))
        for _line, func, message, _comments in extract_python(
            io.BytesIO(code.encode()), list(KEYWORDS), [], {}
        ):
            context = None
            if func.startswith("pgettext"):
                context, msgid = message[0], message[1]
            else:
                msgid = message[0] if isinstance(message, tuple) else message
            entry = catalog.get(msgid, context=context) if msgid else None
            if msgid and (entry is None or not entry.string or entry.fuzzy):
                missing.append(f"{template.relative_to(ROOT)}: {msgid}")
    assert missing == []


# Words people look at first that were once wrong, with what they must read now. A plain
# msgid of ours also overrides Django's own (the admin's "Change" read "Tăng/giảm"), so
# words with two meanings carry a context.
KNOWN_MISTAKES = [
    (None, "Administrator", "Quản trị viên"),
    (None, "User name", "Tên đăng nhập"),
    ("state of a report or upload", "Status", "Trạng thái"),
    ("verdict on a target", "Status", "Đánh giá"),
    ("on the same period last year", "Change", "Tăng/giảm"),
    (None, "Tiến Độ administration", "Quản trị Tiến Độ"),
]


def test_the_words_once_mistranslated_read_right():
    from django.utils import translation

    with translation.override("vi"):
        for context, msgid, wanted in KNOWN_MISTAKES:
            found = (translation.pgettext(context, msgid) if context
                     else translation.gettext(msgid))
            assert found == wanted, (context, msgid, found)
        # Django's own words are Django's: the admin's actions are not our figures' words.
        assert translation.gettext("Change") != "Tăng/giảm"
        assert translation.gettext("Status") != "Đánh giá"

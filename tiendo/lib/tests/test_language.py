import pytest

from tiendo.lib.language import language_of


@pytest.mark.parametrize(("code", "lang"), [
    ("en", "en"), ("en-US", "en"), ("en_GB", "en"), ("EN", "en"),
    ("vi", "vi"), ("vi-VN", "vi"), ("", "vi"), (None, "vi"), ("fr", "vi"), ("eng", "vi"),
])
def test_it_reads_any_spelling_of_english_and_takes_vietnamese_otherwise(code, lang):
    assert language_of(code) == lang

import unicodedata

from tiendo.exchange.labels import LabelIndex, fold, fold_plain, keys, strip_marks

NFD = unicodedata.normalize


def index() -> LabelIndex:
    return LabelIndex([("794", "Thành phố Tân An", ()), ("805", "Huyện Cần Đước", ()),
                       ("802", "Huyện Đức Hòa", ()), ("803", "Huyện Đức Huệ", ()),
                       ("27991", "Xã Tân Lân", ()), ("77", "Thị xã Tân An", ())])


def test_it_folds_composed_and_decomposed_text_alike():
    assert fold(NFD("NFD", "Huyện Đức Hòa")) == fold("Huyện Đức Hòa") == "huyện đức hòa"


def test_it_drops_diacritics_including_d_bar():
    assert strip_marks("Đức Hòa") == "Duc Hoa"
    assert fold_plain("Huyện Đức Hòa") == "huyen duc hoa"


def test_it_expands_the_administrative_abbreviations():
    expected = {"TP. Tân An": "thành phố tân an", "TX. Tân An": "thị xã tân an",
                "H.Cần Đước": "huyện cần đước", "Q. 1": "quận 1", "P. Bến Nghé": "phường bến nghé",
                "X. Tân Lân": "xã tân lân", "TT. Hậu Nghĩa": "thị trấn hậu nghĩa"}
    assert {text: fold(text) for text in expected} == expected


def test_it_ignores_row_numbering_but_not_a_commune_prefix():
    assert keys("1.2. Số hộ nghèo")[0] == "số hộ nghèo"
    assert keys("II. Lao động")[0] == "lao động"
    assert keys("X. Tân Lân")[0] == "xã tân lân"


def test_it_finds_a_unit_written_in_every_usual_way():
    found = index()
    for text in ("H. Cần Đước", "Huyện Cần Đước", "Cần Đước", "can duoc", "H. Can Duoc",
                 NFD("NFD", "Cần Đước"), "805"):
        assert [c.code for c in found.find(text)] == ["805"], text


def test_it_keeps_diacritics_apart_when_they_are_there():
    assert [c.code for c in index().find("Đức Hòa")] == ["802"]
    assert [c.code for c in index().find("Đức Huệ")] == ["803"]


def test_it_tells_apart_the_prefix_when_names_repeat():
    found = index()
    assert [c.code for c in found.find("TP. Tân An")] == ["794"]
    assert [c.code for c in found.find("TX. Tân An")] == ["77"]
    assert sorted(c.code for c in found.find("Tân An")) == ["77", "794"]  # ambiguous


def test_it_finds_nothing_for_an_unknown_label():
    assert index().find("Toàn tỉnh") == []
    assert index().find("   ") == []

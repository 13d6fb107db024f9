from decimal import Decimal as D

from tiendo.lib.describe import describe_change, describe_target


def test_it_describes_each_comparison_in_vietnamese():
    assert describe_target("at_least", D(15500), None, 0) == "15.500"
    assert describe_target("at_most", D(4), None, 2) == "≤ 4,00"
    assert describe_target("range", D(30), D(35), 0) == "từ 30 đến 35"
    assert describe_target("decrease_pct", D(15), None, 0) == "giảm 15,00%"
    assert describe_target("decrease_abs", D(1), D("1.2"), 2) == "giảm 1,00–1,20"
    assert describe_target("increase_abs", D(1000), None, 0) == "tăng 1.000"


def test_it_describes_in_english():
    assert describe_target("decrease_abs", D(1110), None, 0, "en") == "decrease 1,110"


def test_it_describes_a_change_and_a_change_the_wrong_way():
    assert describe_change("decrease_abs", D(9210), 0) == "giảm 9.210"
    assert describe_change("decrease_pct", D(-5), 0) == "tăng 5,00%"

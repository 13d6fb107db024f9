from decimal import Decimal as D

import pytest

from tiendo.lib.formulas import FormulaError, parse_formula


def test_it_finds_the_elements_of_a_ratio():
    formula = parse_formula("trained_workers / labour_force * 100")
    assert formula.elements == ("trained_workers", "labour_force")


def test_it_evaluates_a_ratio_of_sums():
    formula = parse_formula("a / b * 100")
    assert formula.evaluate({"a": D(30) + D(45), "b": D(100) + D(50)}) == D(50)


def test_it_has_no_value_when_an_input_is_missing():
    assert parse_formula("a / b").evaluate({"a": D(1), "b": None}) is None


def test_it_has_no_value_when_dividing_by_zero():
    assert parse_formula("a / b").evaluate({"a": D(1), "b": D(0)}) is None


def test_it_knows_a_single_element_formula():
    assert parse_formula("jobs_created").is_single_element
    assert parse_formula("jobs_created").evaluate({"jobs_created": D(5)}) == 5


@pytest.mark.parametrize("text", ["__import__('os')", "a ** 2", "a.b", "'x'", "1 + 2", "a +"])
def test_it_refuses_anything_but_arithmetic_over_codes(text):
    with pytest.raises(FormulaError):
        parse_formula(text)


def test_it_accepts_unary_minus_and_parentheses():
    assert parse_formula("-(a - b)").evaluate({"a": D(1), "b": D(3)}) == 2

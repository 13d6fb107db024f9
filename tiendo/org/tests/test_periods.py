import datetime

import pytest

from tiendo.errors import NotFound
from tiendo.org.periods import orgunit_resolve_during

pytestmark = pytest.mark.django_db
D = datetime.date


# The loaded map of Vietnam (conftest): 89 is An Giang until 30/06/2025 and no unit after;
# 80 is Long An until then and Tây Ninh from 01/07/2025.


def test_a_code_used_by_one_unit_during_a_term_is_that_unit():
    # Nothing has code 89 on 31/12/2025, but only the old An Giang had it during 2021–2025.
    found = orgunit_resolve_during(code="89", start=D(2021, 1, 1), end=D(2025, 12, 31))
    assert found.name.endswith("An Giang") and found.valid_to == D(2025, 6, 30)


def test_a_year_takes_the_unit_in_force_at_its_end():
    assert "Tây Ninh" in orgunit_resolve_during(code="80", start=D(2025, 1, 1),
                                                end=D(2025, 12, 31)).name
    assert "Long An" in orgunit_resolve_during(code="80", start=D(2023, 1, 1),
                                               end=D(2023, 12, 31)).name


def test_a_term_with_two_units_of_the_code_asks_which():
    with pytest.raises(NotFound) as error:
        orgunit_resolve_during(code="80", start=D(2021, 1, 1), end=D(2025, 12, 31))
    assert "Long An" in str(error.value) and "Tây Ninh" in str(error.value)
    assert "--on" in str(error.value)


def test_a_day_says_which():
    assert orgunit_resolve_during(code="80", start=D(2021, 1, 1), end=D(2025, 12, 31),
                                  on=D(2024, 12, 31)).name.endswith("Long An")


def test_an_unknown_code_is_not_found():
    with pytest.raises(NotFound):
        orgunit_resolve_during(code="99", start=D(2021, 1, 1), end=D(2025, 12, 31))

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read messages in English; pages and the CLI switch to Vietnamese on their own,
    and tiendo/front/tests/test_translations.py checks the Vietnamese catalogue is complete."""
    with translation.override("en"):
        yield

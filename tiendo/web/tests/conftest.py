import pytest

from tiendo.testing import EnglishClient


@pytest.fixture
def client():
    """The pages in English (see EnglishClient)."""
    return EnglishClient()

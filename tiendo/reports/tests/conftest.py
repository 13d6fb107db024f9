from tiendo.reports.tests.fixtures import (  # noqa: F401
    _small_world,
    people,
    province,
    target,
)

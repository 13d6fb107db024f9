"""What a user may do to a unit's data; free of model imports so AppConfigs can use it."""

from enum import StrEnum


class Action(StrEnum):
    READ = "read"
    ENTER = "enter"
    APPROVE = "approve"
    PLAN = "plan"  # targets and metadata
    USERS = "users"  # add, deactivate and re-assign the people of the units in scope

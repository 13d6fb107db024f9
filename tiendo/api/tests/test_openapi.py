"""The API description: one schema per name, and each operation's request body the one its
handler reads (issue 14, finding 8: two routers' `ReportIn` merged into one, so a client
generated from the description could not enter data)."""

import pytest
from django.test import Client
from ninja import Schema

from tiendo.api.app import api

pytestmark = pytest.mark.django_db


def _schemas_by_name() -> dict[str, set[type]]:
    """Every pydantic model the operations use (bodies and answers, nested ones included),
    by the name the description gives it."""
    found: dict[str, set[type]] = {}

    def visit(model) -> None:
        if not (isinstance(model, type) and issubclass(model, Schema)):
            return
        if model in found.setdefault(model.__name__, set()):
            return
        found[model.__name__].add(model)
        for field in model.model_fields.values():
            for inner in _types_in(field.annotation):
                visit(inner)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in _operation_models(operation):
                    visit(model)
    return found


def _types_in(annotation) -> list:
    args = getattr(annotation, "__args__", None)
    if args is None:
        return [annotation]
    return [t for arg in args for t in _types_in(arg)]


def _operation_models(operation) -> list:
    models = []
    for param in operation.models:
        for field in param.model_fields.values():
            models.extend(_types_in(field.annotation))
    for response in operation.response_models.values():
        if hasattr(response, "model_fields"):  # not NOT_SET (a 204, a file)
            models.extend(_types_in(response.model_fields["response"].annotation))
    return models


def test_no_two_schemas_share_a_name():
    shared = {name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
              for name, models in _schemas_by_name().items() if len(models) > 1}
    assert shared == {}


def _body(spec: dict, path: str, method: str) -> dict:
    reference = (spec["paths"][path][method]["requestBody"]["content"]["application/json"]
                 ["schema"]["$ref"])
    return spec["components"]["schemas"][reference.rsplit("/", 1)[1]]


def test_each_request_body_in_the_description_is_the_one_its_handler_reads():
    spec = Client().get("/api/v1/openapi.json").json()
    data_report = _body(spec, "/api/v1/reports", "post")
    assert {"unit", "data_set", "period", "values"} <= set(data_report["properties"])
    periodic = _body(spec, "/api/v1/periodic-reports/", "post")
    assert {"unit_id", "period", "format"} <= set(periodic["properties"])
    answer = spec["paths"]["/api/v1/reports"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "values" in spec["components"]["schemas"][answer]["properties"]

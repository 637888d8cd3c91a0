"""The API schema as OpenAPI 3.0, for the Swagger UI that ``/docs`` serves.

FastAPI describes the API in OpenAPI 3.1. The Swagger UI this package ships (swagger-ui-bundle 1.x,
Swagger UI 4) reads only 3.0 and shows "Unable to render this definition" for anything else. Its
docs page therefore loads this translation; ``/openapi.json`` stays 3.1 for every other client.

The translation covers what 3.1 added over 3.0 in schema objects (JSON Schema 2020-12): ``null`` as
a type (``anyOf`` with ``{"type": "null"}``, or a list of types) becomes ``nullable``, ``const``
becomes a one-value ``enum``, numeric ``exclusiveMinimum``/``exclusiveMaximum`` become the 3.0
boolean form, and a schema's ``examples`` list becomes ``example``. 3.1-only top-level fields are
dropped (``info.summary`` is folded into the description).
"""

from __future__ import annotations

import copy
from typing import Any

OPENAPI_30 = "3.0.3"
NULL = {"type": "null"}
SCHEMA_KEYS = (
    "properties",
    "items",
    "additionalProperties",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
)


def openapi_30(schema: dict[str, Any]) -> dict[str, Any]:
    """A 3.0 copy of a 3.1 document made by FastAPI; ``schema`` is not changed."""
    doc = copy.deepcopy(schema)
    doc["openapi"] = OPENAPI_30
    doc.pop("webhooks", None)
    doc.pop("jsonSchemaDialect", None)
    info = doc.get("info", {})
    summary = info.pop("summary", None)
    if summary:
        info["description"] = f"{summary}\n\n{info.get('description', '')}".strip()
    for name, component in doc.get("components", {}).get("schemas", {}).items():
        doc["components"]["schemas"][name] = _schema(component)
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                _operation(operation)
    return doc


def _operation(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if "schema" in parameter:
            parameter["schema"] = _schema(parameter["schema"])
    bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
    for body in bodies:
        for media in body.get("content", {}).values():
            if "schema" in media:
                media["schema"] = _schema(media["schema"])


def _schema(node: Any) -> Any:
    """One schema object, translated depth first."""
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for key in SCHEMA_KEYS:
        value = node.get(key)
        if isinstance(value, list):
            node[key] = [_schema(v) for v in value]
        elif key == "properties" and isinstance(value, dict):
            node[key] = {name: _schema(v) for name, v in value.items()}
        elif isinstance(value, dict):
            node[key] = _schema(value)
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(exclusive), int | float) and not isinstance(node[exclusive], bool):
            node[bound] = node[exclusive]
            node[exclusive] = True
    examples = node.pop("examples", None)
    if isinstance(examples, list) and examples:
        node.setdefault("example", examples[0])
    types = node.get("type")
    if isinstance(types, list):
        rest = [t for t in types if t != "null"]
        if len(rest) < len(types):
            node["nullable"] = True
        node["type"] = rest[0] if len(rest) == 1 else rest
        if len(rest) != 1:  # several non-null types have no 3.0 spelling; anything goes
            node.pop("type")
    if isinstance(node.get("anyOf"), list) and NULL in node["anyOf"]:
        node = _without_null(node)
    return node


def _without_null(node: dict[str, Any]) -> dict[str, Any]:
    """``{"anyOf": [X, {"type": "null"}], ...}`` → X, nullable (a ``$ref`` cannot carry siblings in
    3.0, so it is wrapped in ``allOf``)."""
    rest = [s for s in node.pop("anyOf") if s != NULL]
    if len(rest) != 1:
        return {**node, "anyOf": rest, "nullable": True}
    only = rest[0]
    if "$ref" in only:
        return {**node, "allOf": [only], "nullable": True}
    return {**only, **node, "nullable": True}

"""Every field a request can carry has a French name for the 422 messages (server/api/problems.py), so a
refused request never shows an API identifier such as « after_id » to the person who sent it."""

from __future__ import annotations

from typing import Any

from coffreo_desktop.server.api.problems import FIELD_LABELS
from tests.support import ServerHarness


def _properties(schema: dict[str, Any], spec: dict[str, Any], seen: set[str]) -> set[str]:
    """The property names of a body schema, following $ref, allOf/anyOf and nested objects and arrays."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return set()
        seen.add(name)
        return _properties(spec["components"]["schemas"][name], spec, seen)
    names: set[str] = set()
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            names |= _properties(part, spec, seen)
    if "items" in schema:
        names |= _properties(schema["items"], spec, seen)
    for prop, sub in schema.get("properties", {}).items():
        names.add(prop)
        names |= _properties(sub, spec, seen)
    return names


def test_every_request_field_has_a_french_name(server: ServerHarness) -> None:
    spec = server.client.get("/api/v1/openapi.json").json()
    fields: set[str] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            fields |= {p["name"] for p in operation.get("parameters", []) if p.get("in") != "header"}
            for media in operation.get("requestBody", {}).get("content", {}).values():
                fields |= _properties(media.get("schema", {}), spec, set())

    missing = sorted(fields - FIELD_LABELS.keys())
    assert missing == [], " ".join(missing)

"""Every route of the app declares a rule, and the rule holds: 401 without a token, 403 without the right
or outside the scope; recipient routes refuse staff tokens and keys, staff routes refuse recipient tokens.
The routes are enumerated from the app itself, so a new route without a rule fails."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.routers import API_PREFIX, ROUTERS, WEB_ROUTERS
from coffreo_desktop.server.api.rules import (
    AgencyRight,
    Authenticated,
    BrandRight,
    Integration,
    Public,
    Recipient,
    Rule,
)
from tests.server.recipient_helpers import demo_login
from tests.support import ServerHarness


@pytest.fixture
def database_kind() -> str:
    """On SQLite only: who may call a route is decided by the rules in Python before any business query;
    the rights and scopes those rules read are tested on both databases (test_admin_rights, test_auth…)."""
    return "sqlite"


def _flatten(dependant):  # type: ignore[no-untyped-def]
    for dep in dependant.dependencies:
        yield dep
        yield from _flatten(dep)


def route_rules(route: APIRoute) -> list[Rule]:
    return [d.call for d in _flatten(route.dependant) if isinstance(d.call, Rule)]


def api_routes(harness: ServerHarness) -> list[APIRoute]:
    """The routes of every router the app mounts: the API (ROUTERS) and the browser pages (WEB_ROUTERS)."""
    found = []
    for router in [*ROUTERS, *WEB_ROUTERS]:
        for route in router.routes:
            assert isinstance(route, APIRoute), route
            found.append(route)
    return found


def full_path(route: APIRoute) -> str:
    is_api = any(route in router.routes for router in ROUTERS)
    return (API_PREFIX if is_api else "") + route.path


def call(
    harness: ServerHarness, route: APIRoute, headers: dict[str, str], agency_id: int, brand_id: int
) -> int:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str({"agency_id": agency_id, "brand_id": brand_id}.get(name, 1))

    path = re.sub(r"{([^}:]+)(?::[^}]+)?}", fill, full_path(route))
    method = sorted(route.methods - {"HEAD"})[0]
    params = {"agency_id": agency_id, "brand_id": brand_id}
    response = harness.client.request(method, path, headers=headers, params=params, json={})
    return response.status_code


def test_every_route_declares_exactly_one_rule(server: ServerHarness) -> None:
    missing = [f"{sorted(r.methods)} {r.path}" for r in api_routes(server) if len(route_rules(r)) != 1]
    assert not missing, f"routes sans règle d'accès déclarée (ou avec plusieurs) : {missing}"


def test_protected_routes_answer_401_without_a_token(server: ServerHarness) -> None:
    agency = server.agency_id("PAR11")
    checked = 0
    for route in api_routes(server):
        (rule,) = route_rules(route)
        if isinstance(rule, Public):
            continue
        status = call(server, route, {}, agency, 1)
        assert status == 401, f"{route.path} sans jeton → {status}"
        bad = call(server, route, {"Authorization": "Bearer at_pas-un-vrai-jeton"}, agency, 1)
        assert bad == 401, f"{route.path} avec un faux jeton → {bad}"
        fake = call(server, route, {"Authorization": "Bearer rat_pas-un-vrai-jeton"}, agency, 1)
        assert fake == 401, f"{route.path} avec un faux jeton de destinataire → {fake}"
        checked += 1
    assert checked >= 1


def test_protected_routes_answer_403_without_the_right_or_outside_the_scope(server: ServerHarness) -> None:
    par11, lyo = server.agency_id("PAR11"), server.agency_id("LYO")
    server.make_user("aucun.droit@exemple.fr", {})
    nobody = server.login("aucun.droit@exemple.fr")
    every_right_on_lyon = server.make_user("lyon@exemple.fr", {"LYO": tuple(Right)})
    assert every_right_on_lyon
    lyon = server.login("lyon@exemple.fr")
    for route in api_routes(server):
        (rule,) = route_rules(route)
        name = f"{sorted(route.methods)} {route.path}"
        if isinstance(rule, Public | Authenticated):
            continue
        if isinstance(rule, AgencyRight):
            # Outside the scope: every right, but on another agency.
            assert call(server, route, lyon, par11, 1) == 403, f"{name}: hors périmètre"
            # Without the right: every other right on the agency itself.
            others = tuple(r for r in Right if r not in rule.rights)
            email = f"sans-{'-'.join(rule.rights).lower()}-{abs(hash(route.path))}@exemple.fr"
            server.make_user(email, {"PAR11": others})
            assert call(server, route, server.login(email), par11, 1) == 403, f"{name}: sans le droit"
            assert call(server, route, nobody, par11, 1) == 403, f"{name}: aucun droit"
        elif isinstance(rule, BrandRight):
            assert call(server, route, lyon, lyo, 1) == 403, f"{name}: droit de marque absent"
        elif isinstance(rule, Integration):
            assert call(server, route, lyon, lyo, 1) == 403, f"{name}: jeton de collaborateur"
        elif isinstance(rule, Recipient):
            assert call(server, route, lyon, lyo, 1) == 403, f"{name}: jeton de collaborateur"
            key = server.integration_key(brand_id=1)
            assert call(server, route, key, lyo, 1) == 403, f"{name}: clé d'intégration"
            if rule.kind is not None:
                other = "employee" if rule.kind == "client_user" else "client_user"
                wrong = call(server, route, demo_login(server, other), lyo, 1)
                assert wrong == 403, f"{name}: destinataire d'un autre espace"
        else:  # pragma: no cover - a new kind of rule must be added to this test
            pytest.fail(f"{name}: règle inconnue du test {rule!r}")


def test_authenticated_routes_refuse_integration_keys(server: ServerHarness) -> None:
    key = server.integration_key(brand_id=1)
    for route in api_routes(server):
        (rule,) = route_rules(route)
        if isinstance(rule, Authenticated | AgencyRight | BrandRight):
            assert call(server, route, key, server.agency_id("PAR11"), 1) == 403, route.path


def test_staff_and_integration_routes_refuse_recipient_tokens(server: ServerHarness) -> None:
    recipients = [demo_login(server, "employee"), demo_login(server, "client_user")]
    checked = 0
    for route in api_routes(server):
        (rule,) = route_rules(route)
        if isinstance(rule, Public | Recipient):
            continue
        for headers in recipients:
            status = call(server, route, headers, server.agency_id("PAR11"), 1)
            assert status in (401, 403), (
                f"{sorted(route.methods)} {route.path} avec un jeton de destinataire → {status}"
            )
        checked += 1
    assert checked >= 5


def test_recipient_routes_are_enumerated_with_their_rule(server: ServerHarness) -> None:
    recipient_routes = {
        (sorted(r.methods)[0], full_path(r)): route_rules(r)[0]
        for r in api_routes(server)
        if full_path(r).startswith("/api/v1/recipient/")
    }
    protected = {k for k, rule in recipient_routes.items() if isinstance(rule, Recipient)}
    assert protected == {
        ("GET", "/api/v1/recipient/documents"),
        ("GET", "/api/v1/recipient/documents/{document_id}/file"),
        ("POST", "/api/v1/recipient/documents/{document_id}/validation"),
        ("GET", "/api/v1/recipient/signatures"),
        ("POST", "/api/v1/recipient/documents/{document_id}/signing-code"),
        ("POST", "/api/v1/recipient/documents/{document_id}/signature"),
        ("GET", "/api/v1/recipient/advances/options"),
        ("GET", "/api/v1/recipient/advances"),
        ("POST", "/api/v1/recipient/advances"),
        ("POST", "/api/v1/recipient/advances/{request_id}/cancel"),
    }
    assert all(isinstance(rule, Public | Recipient) for rule in recipient_routes.values())


def test_the_enumerated_routes_are_all_the_routes_the_app_serves(server: ServerHarness) -> None:
    """The OpenAPI document comes from the app's real routing table: nothing escapes the checks above."""
    spec = server.client.get("/api/v1/openapi.json").json()
    served = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    enumerated = {
        (full_path(r), m) for r in api_routes(server) if r.include_in_schema for m in r.methods - {"HEAD"}
    }
    assert served == enumerated
    assert ("/api/v1/health", "GET") in served

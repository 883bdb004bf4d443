"""Rights and scopes (F1.3, F3.1, F4.2, F6.1)."""

from __future__ import annotations

from coffreo_desktop.domain.rights import MATRIX_ORDER, Grant, Right, RightSet, Scope

# Agencies 1 and 2 belong to brand 10; agency 3 to brand 20.
BRANDS = {1: 10, 2: 10, 3: 20}


def rights(*grants: Grant) -> RightSet:
    return RightSet.of(grants, BRANDS)


def test_agency_grant_covers_only_that_agency() -> None:
    held = rights(Grant(Right.ACOMPTES, Scope.AGENCY, 1))
    assert held.has(Right.ACOMPTES, 1)
    assert not held.has(Right.ACOMPTES, 2)
    assert not held.has(Right.ADMIN, 1)
    assert held.visible_agencies() == {1}


def test_brand_grant_covers_every_agency_of_the_brand_and_only_those() -> None:
    held = rights(Grant(Right.DIFFUSION, Scope.BRAND, 10))
    assert held.has(Right.DIFFUSION, 1) and held.has(Right.DIFFUSION, 2)
    assert not held.has(Right.DIFFUSION, 3)
    assert held.has_on_brand(Right.DIFFUSION, 10)
    assert not held.has_on_brand(Right.DIFFUSION, 20)


def test_agency_grants_do_not_make_a_brand_right() -> None:
    held = rights(Grant(Right.DIFFUSION, Scope.AGENCY, 1), Grant(Right.DIFFUSION, Scope.AGENCY, 2))
    assert not held.has_on_brand(Right.DIFFUSION, 10)


def test_unknown_agency_has_no_right() -> None:
    assert not rights(Grant(Right.ADMIN, Scope.BRAND, 10)).has(Right.ADMIN, 99)


def test_agencies_with_and_rights_on() -> None:
    held = rights(Grant(Right.ADMIN, Scope.AGENCY, 1), Grant(Right.DIFFUSION_LIBRE, Scope.AGENCY, 3))
    assert held.agencies_with(Right.ADMIN) == {1}
    assert held.rights_on(3) == {Right.DIFFUSION_LIBRE}
    assert held.has_any([Right.DIFFUSION_LIBRE_SIGNE, Right.DIFFUSION_LIBRE], 3)


def test_matrix_lists_every_right_once_with_a_french_label() -> None:
    assert sorted(MATRIX_ORDER) == sorted(Right)
    assert Right.ADMIN.label == "Administrateur"
    assert [r.value for r in MATRIX_ORDER] == ["A", "D", "DL", "DLP", "DLS", "DA", "RH"]

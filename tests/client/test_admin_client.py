"""The "Droits et accès" client (F6.1) against the real backend over HTTP: the typed matrix, a cell set and
set back, the colleague who was first (RightsChanged with the current row), the last administrator and
last right refusals, an access created (invitation queued) then refused as a duplicate, removed, and
removed again (AccessNotFound)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest
from sqlalchemy import select

from coffreo_desktop.client.admin import (
    AccessNotFound,
    AdminApi,
    DuplicateAccess,
    LastAdmin,
    LastRight,
    RightsChanged,
)
from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import OutboxMail
from tests.client.documents_backend import PASSWORDS, served
from tests.support import ServerHarness

T = TypeVar("T")
ADMIN = "admin@demo.coffreo.fr"
JULIEN = "diffusion@demo.coffreo.fr"


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Callable[[AdminApi], Awaitable[T]], email: str = ADMIN) -> T:
    async def main() -> T:
        api = ApiClient(base_url)
        await api.login(email, PASSWORDS[email])
        try:
            return await scenario(AdminApi(api))
        finally:
            await api.aclose()

    return asyncio.run(main())


def test_matrix_lists_typed_rows_with_read_only_rights_elsewhere(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")
    matrix = run(base_url, lambda admin: admin.matrix(par11))

    assert matrix.agency_id == par11 and matrix.version
    julien = next(u for u in matrix.users if u.email == JULIEN)
    assert julien.full_name == "Julien Bertrand"
    assert julien.rights == {
        Right.DIFFUSION,
        Right.DIFFUSION_LIBRE,
        Right.DIFFUSION_LIBRE_PROTEGE,
        Right.DIFFUSION_LIBRE_SIGNE,
    }
    assert [a.name for a in julien.other_agencies] and all(a.id != par11 for a in julien.other_agencies)
    claire = next(u for u in matrix.users if u.email == ADMIN)
    assert any(Right.DIFFUSION in b.rights for b in claire.brand_rights)


def test_set_right_then_the_reverse_put_restores_the_cell(server: ServerHarness, base_url: str) -> None:
    par11 = server.agency_id("PAR11")

    async def scenario(admin: AdminApi) -> tuple[frozenset[Right], frozenset[Right]]:
        julien = next(u for u in (await admin.matrix(par11)).users if u.email == JULIEN)
        removed = await admin.set_right(par11, julien.user_id, Right.DIFFUSION_LIBRE, False, True)
        restored = await admin.set_right(par11, julien.user_id, Right.DIFFUSION_LIBRE, True, False)
        return removed.rights, restored.rights

    removed, restored = run(base_url, scenario)
    assert Right.DIFFUSION_LIBRE not in removed and Right.DIFFUSION_LIBRE in restored


def test_a_colleague_first_raises_rights_changed_with_the_current_row(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")

    async def scenario(admin: AdminApi) -> RightsChanged:
        julien = next(u for u in (await admin.matrix(par11)).users if u.email == JULIEN)
        await admin.set_right(par11, julien.user_id, Right.ACOMPTES, True, False)  # the colleague
        with pytest.raises(RightsChanged) as caught:
            await admin.set_right(par11, julien.user_id, Right.ACOMPTES, True, False)  # saw the old state
        return caught.value

    error = run(base_url, scenario)
    assert error.status == 409 and "modifié" in str(error)
    assert error.current is not None and Right.ACOMPTES in error.current.rights


def test_last_admin_and_last_right_are_refused_with_french_details(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")

    async def scenario(admin: AdminApi) -> tuple[LastAdmin, LastRight]:
        users = (await admin.matrix(par11)).users
        me = next(u for u in users if u.email == ADMIN)
        with pytest.raises(LastAdmin) as last_admin:
            await admin.set_right(par11, me.user_id, Right.ADMIN, False, True)
        created = await admin.create_access(
            par11, "Inès", "Durand", "ines.durand@exemple.fr", [Right.RELEVES_HEURES]
        )
        with pytest.raises(LastRight) as last_right:
            await admin.set_right(par11, created.user.user_id, Right.RELEVES_HEURES, False, True)
        return last_admin.value, last_right.value

    last_admin, last_right = run(base_url, scenario)
    assert "dernier administrateur" in str(last_admin)
    assert "dernier droit" in str(last_right)


def test_create_access_queues_an_invitation_then_duplicate_then_remove(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")

    async def scenario(admin: AdminApi) -> tuple[object, ...]:
        created = await admin.create_access(
            par11, " Camille ", "Petit", " Camille.Petit@Exemple.fr ", list(Right)
        )
        with pytest.raises(DuplicateAccess) as duplicate:
            await admin.create_access(
                par11, "Camille", "Petit", "camille.petit@exemple.fr", [Right.DIFFUSION]
            )
        with pytest.raises(ApiError) as invalid:
            await admin.create_access(par11, "A", "B", "pas-une-adresse", [Right.DIFFUSION])
        await admin.remove_access(par11, created.user.user_id)
        with pytest.raises(AccessNotFound):
            await admin.remove_access(par11, created.user.user_id)
        listed = [u.email for u in (await admin.matrix(par11)).users]
        return created, duplicate.value, invalid.value, listed

    created, duplicate, invalid, listed = run(base_url, scenario)
    assert created.created and created.mail == "invitation"  # type: ignore[attr-defined]
    assert created.user.email == "camille.petit@exemple.fr" and created.user.rights == set(Right)  # type: ignore[attr-defined]
    assert "déjà un accès" in str(duplicate)
    assert isinstance(invalid, ApiError) and invalid.code == "invalid_email" and "invalide" in str(invalid)
    assert "camille.petit@exemple.fr" not in listed
    with server.ctx.db.reader() as s:
        assert s.scalars(select(OutboxMail).where(OutboxMail.to_addr == "camille.petit@exemple.fr")).first()


def test_removing_the_last_administrators_access_is_refused(server: ServerHarness, base_url: str) -> None:
    par11 = server.agency_id("PAR11")

    async def scenario(admin: AdminApi) -> LastAdmin:
        me = next(u for u in (await admin.matrix(par11)).users if u.email == ADMIN)
        with pytest.raises(LastAdmin) as caught:
            await admin.remove_access(par11, me.user_id)
        return caught.value

    assert "dernier administrateur" in str(run(base_url, scenario))

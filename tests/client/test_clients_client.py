"""The "Mes clients" client (F6.3) against the real backend over HTTP: typed clients with their status, a
bulk reminder then the same inside 24 hours (skipped with its time), a client's users matrix, a cell set
then the colleague who comes second (ClientRightChanged with the current row), a user added (invitation
queued) then refused as a duplicate, reminded, deleted and deleted again (404)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.clients import ClientRightChanged, ClientsApi
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.limits import CLIENT_REMINDER_BATCH
from coffreo_desktop.server.db.models import (
    Agency,
    ClientAgency,
    ClientCompany,
    ClientUser,
    OutboxMail,
    RecipientAccount,
)
from tests.client.documents_backend import PASSWORDS, served
from tests.server.test_admin_clients import make_client
from tests.support import ServerHarness

T = TypeVar("T")
ADMIN = "admin@demo.coffreo.fr"


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Callable[[ClientsApi], Awaitable[T]]) -> T:
    async def main() -> T:
        api = ApiClient(base_url)
        await api.login(ADMIN, PASSWORDS[ADMIN])
        try:
            return await scenario(ClientsApi(api))
        finally:
            await api.aclose()

    return asyncio.run(main())


def test_clients_are_typed_and_a_second_reminder_inside_24_hours_is_skipped_with_its_time(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")
    cid, _ = make_client(server, "Aaa Client Test", [("u1@aaa.fr", False)])

    async def scenario(api: ClientsApi) -> tuple[object, ...]:
        before = await api.clients(par11)
        first = await api.remind_clients(par11, [cid])
        second = await api.remind_clients(par11, [cid])
        after = await api.clients(par11)
        return before, first, second, after

    before, first, second, after = run(base_url, scenario)

    listed = {c.name: c for c in before}  # type: ignore[attr-defined]
    assert listed["Aaa Client Test"].status == "non activé" and listed["Aaa Client Test"].users == 1
    assert first.reminded == 1 and first.skipped == []  # type: ignore[attr-defined]
    assert second.reminded == 0  # type: ignore[attr-defined]
    (skipped,) = second.skipped  # type: ignore[attr-defined]
    assert skipped.id == cid and skipped.until is not None and skipped.until > server.clock()
    assert next(c for c in after if c.id == cid).status == "invité"  # type: ignore[attr-defined]


def test_users_rights_add_duplicate_remind_and_delete(server: ServerHarness, base_url: str) -> None:
    par11 = server.agency_id("PAR11")
    cid, (uid,) = make_client(server, "Aab Client Test", [("u1@aab.fr", True)])

    async def scenario(api: ClientsApi) -> dict[str, object]:
        seen: dict[str, object] = {}
        seen["row"] = await api.set_right(par11, cid, uid, "invoices", True, False, email="u1@aab.fr")
        try:
            await api.set_right(
                par11, cid, uid, "invoices", True, False, email="u1@aab.fr"
            )  # a colleague's stale view
        except ClientRightChanged as exc:
            seen["changed"] = exc
        added = await api.add_user(
            par11,
            cid,
            email=" New@Aab.fr",
            civility="Mme",
            first_name="Inès",
            last_name="Roy",
            rights=["timesheets", "view_contracts"],
        )
        seen["added"] = added.user
        seen["mail"] = added.mail
        try:
            await api.add_user(
                par11, cid, email="new@aab.fr", civility="M.", first_name="X", last_name="Y", rights=[]
            )
        except ApiError as exc:
            seen["duplicate"] = exc
        seen["reminder"] = await api.remind_user(par11, cid, added.user.id, email=added.user.email)
        await api.delete_user(par11, cid, added.user.id, email=added.user.email)
        try:
            await api.delete_user(par11, cid, added.user.id, email=added.user.email)
        except ApiError as exc:
            seen["gone"] = exc
        seen["users"] = await api.users(par11, cid)
        return seen

    seen = run(base_url, scenario)

    assert seen["row"].rights == {"view_contracts", "invoices"}  # type: ignore[attr-defined]
    changed = seen["changed"]
    assert isinstance(changed, ClientRightChanged) and changed.current is not None
    assert "invoices" in changed.current.rights and "entre-temps" in str(changed)
    added = seen["added"]
    assert added.email == "new@aab.fr" and added.rights == {"view_contracts", "timesheets"}  # type: ignore[attr-defined]
    assert not added.activated and seen["mail"] == "invitation"  # type: ignore[attr-defined]
    duplicate = seen["duplicate"]
    assert isinstance(duplicate, ApiError) and (duplicate.status, duplicate.code) == (409, "duplicate_user")
    assert seen["reminder"].reminded == 1  # type: ignore[attr-defined]
    gone = seen["gone"]
    assert isinstance(gone, ApiError) and gone.status == 404
    assert [u.id for u in seen["users"].users] == [uid]  # type: ignore[attr-defined]
    with server.ctx.db.reader() as s:
        kinds = list(s.scalars(select(OutboxMail.kind).where(OutboxMail.to_addr == "new@aab.fr")))
    assert kinds == ["client_invitation", "client_invitation"]  # the invitation, then the reminder


def test_a_bulk_reminder_names_the_users_left_out_inside_a_client_it_reminded(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")
    cid, (first_user, _second_user) = make_client(
        server, "Aac Client Test", [("u1@aac.fr", False), ("u2@aac.fr", False)]
    )

    async def scenario(api: ClientsApi) -> object:
        # The first user's 24 hours start now.
        await api.remind_user(par11, cid, first_user, email="u1@aac.fr")
        return await api.remind_clients(par11, [cid])

    report = run(base_url, scenario)

    assert report.reminded == 1 and report.skipped == []  # type: ignore[attr-defined]
    (left_out,) = report.skipped_users  # type: ignore[attr-defined]
    assert left_out.id == first_user and left_out.until is not None and left_out.until > server.clock()


def test_adding_an_address_that_already_has_a_client_space_account_says_the_access_mail(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")
    make_client(server, "Aad Client Test", [("known@aad.fr", True)])
    other, _ = make_client(server, "Aae Client Test", [("u1@aae.fr", True)])
    with server.session() as s, s.begin():  # known@aad.fr activated its client-space account
        now = server.clock()
        s.add(
            RecipientAccount(
                kind="client_user", email="known@aad.fr", password_hash="x", created_at=now, activated_at=now
            )
        )

    async def scenario(api: ClientsApi) -> object:
        return await api.add_user(
            par11, other, email="known@aad.fr", civility="M.", first_name="Jo", last_name="Roy", rights=[]
        )

    added = run(base_url, scenario)

    assert added.mail == "access_granted"  # type: ignore[attr-defined]
    assert added.user.activated  # type: ignore[attr-defined]  # joined to the account at once


def make_clients(server: ServerHarness, count: int, prefix: str) -> list[int]:
    """``count`` clients served by PAR11, each with two users who have not activated."""
    now = server.clock()
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency).where(Agency.code == "PAR11")).one()
        clients = [
            ClientCompany(
                brand_id=agency.brand_id, code=f"{prefix}{i:04d}", name=f"{prefix} {i:04d}", created_at=now
            )
            for i in range(count)
        ]
        s.add_all(clients)
        s.flush()
        s.add_all(ClientAgency(client_id=c.id, agency_id=agency.id) for c in clients)
        s.add_all(
            ClientUser(
                client_id=c.id,
                email=f"{who}{i}@{prefix.lower()}.fr",
                civility="Mme",
                first_name="Anne",
                last_name=f"{prefix}{who}{i}",
                created_at=now,
            )
            for i, c in enumerate(clients)
            for who in ("a", "b")
        )
        return [c.id for c in clients]


def test_a_selection_larger_than_a_request_is_reminded_in_chunks_and_the_reports_merged(
    server: ServerHarness, base_url: str
) -> None:
    par11 = server.agency_id("PAR11")
    count = 2 * CLIENT_REMINDER_BATCH + 50
    ids = make_clients(server, count, "Blk")
    sizes: list[int] = []

    async def scenario(api: ClientsApi) -> object:
        try:
            await api.remind_clients_chunk(par11, ids)  # the server takes CLIENT_REMINDER_BATCH at most
        except ApiError as exc:
            assert exc.status == 422
        else:
            raise AssertionError("a request over the limit was accepted")
        # The first and the last client reminded just before: skipped, in the first and the last chunk.
        early = await api.remind_clients(par11, [ids[0], ids[-1]])
        assert early.reminded == 2
        original = api.api.request

        async def request(method: str, path: str, **kwargs: Any) -> Any:
            if path == "/admin/clients/remind":
                sizes.append(len(kwargs["json"]["client_ids"]))
            return await original(method, path, **kwargs)

        setattr(api.api, "request", request)  # noqa: B010 -- a spy on the real requests, not a mock
        return await api.remind_clients(par11, [*ids, ids[5]])  # an id twice is sent once

    report = run(base_url, scenario)

    assert sizes == [CLIENT_REMINDER_BATCH, CLIENT_REMINDER_BATCH, 50]
    assert report.reminded == count - 2  # type: ignore[attr-defined]
    assert [s.id for s in report.skipped] == [ids[0], ids[-1]]  # type: ignore[attr-defined]
    assert len(report.skipped_users) == 4  # type: ignore[attr-defined]  # their two users each
    with server.ctx.db.reader() as s:
        mailed = set(s.scalars(select(OutboxMail.to_addr).where(OutboxMail.to_addr.like("%@blk.fr"))))
    assert len(mailed) == 2 * count  # every user of every client, once

""" "Mes clients" (F6.3): the clients of an agency with their status, reminders once per 24 hours per
recipient (mails received by a real SMTP server), and per client its users' rights toggled with the state
the caller saw, users added (bad and duplicate emails), deleted and reminded; all scoped and audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import (
    Agency,
    AuditEvent,
    ClientAgency,
    ClientCompany,
    ClientUser,
    OutboxMail,
)
from tests.server.test_mail import Collector, sender, smtp  # noqa: F401 (smtp: the fixture)
from tests.support import ServerHarness

BASE = "/api/v1/admin/clients"


def admin(server: ServerHarness, email: str = "chef.clients@exemple.fr") -> dict[str, str]:
    server.make_user(email, {"PAR11": (Right.ADMIN,)})
    return server.login(email)


def make_client(
    server: ServerHarness,
    name: str,
    users: list[tuple[str, bool]] = (),  # type: ignore[assignment]
    agency: str = "PAR11",
    activated: bool = False,
) -> tuple[int, list[int]]:
    """A client company served by ``agency`` with users (email, activated)."""
    now = server.clock()
    with server.session() as s, s.begin():
        found = s.scalars(select(Agency).where(Agency.code == agency)).one()
        client = ClientCompany(
            brand_id=found.brand_id,
            code=name[:10].upper().replace(" ", ""),
            name=name,
            created_at=now,
            activated_at=now if activated else None,
        )
        s.add(client)
        s.flush()
        s.add(ClientAgency(client_id=client.id, agency_id=found.id))
        rows = [
            ClientUser(
                client_id=client.id,
                email=email,
                civility="Mme",
                first_name="Anne",
                last_name=email.split("@")[0].title(),
                created_at=now,
                activated_at=now if on else None,
            )
            for email, on in users
        ]
        s.add_all(rows)
        s.flush()
        return client.id, [u.id for u in rows]


def params(server: ServerHarness, agency: str = "PAR11") -> dict[str, int]:
    return {"agency_id": server.agency_id(agency)}


def clients(server: ServerHarness, headers: dict[str, str]) -> dict[str, Any]:
    response = server.client.get(BASE, params=params(server), headers=headers)
    assert response.status_code == 200, response.text
    return {c["name"]: c for c in response.json()["clients"]}


def mails_to(server: ServerHarness, to: str) -> list[OutboxMail]:
    with server.ctx.db.reader() as s:
        return list(s.scalars(select(OutboxMail).where(OutboxMail.to_addr == to).order_by(OutboxMail.id)))


def events(server: ServerHarness, action: str) -> list[AuditEvent]:
    with server.ctx.db.reader() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def remind(server: ServerHarness, headers: dict[str, str], ids: list[int]) -> Any:
    return server.client.post(
        f"{BASE}/remind", params=params(server), json={"client_ids": ids}, headers=headers
    )


def test_the_list_shows_each_client_of_the_agency_with_its_status_and_dates(server: ServerHarness) -> None:
    headers = admin(server)
    make_client(server, "Zeta Activée", [("a@zeta.fr", True)], activated=True)
    make_client(server, "Zeta Sans Utilisateur")
    make_client(server, "Zeta Lyon", [("l@zeta.fr", False)], agency="LYO")
    pending, _ = make_client(server, "Zeta En Attente", [("p@zeta.fr", False)])

    listed = clients(server, headers)

    assert "Zeta Lyon" not in listed  # served by another agency only
    assert listed["Zeta Activée"]["status"] == "activé"
    assert listed["Zeta Activée"]["activated_at"] is not None and listed["Zeta Activée"]["created_at"]
    assert listed["Zeta Sans Utilisateur"]["status"] == "non activé"
    assert listed["Zeta En Attente"]["status"] == "non activé"
    assert (listed["Zeta En Attente"]["users"], listed["Zeta En Attente"]["users_activated"]) == (1, 0)
    assert remind(server, headers, [pending]).json()["reminded"] == 1
    assert clients(server, headers)["Zeta En Attente"]["status"] == "invité"  # a link went to its user
    names = [n for n in clients(server, headers)]
    assert names == sorted(names)


def test_everything_is_refused_without_A_and_another_agencys_client_is_not_found(
    server: ServerHarness,
) -> None:
    server.make_user("sans.a@exemple.fr", {"PAR11": (Right.DIFFUSION,)})
    response = server.client.get(BASE, params=params(server), headers=server.login("sans.a@exemple.fr"))
    assert response.status_code == 403
    headers = admin(server)
    lyon, (user,) = make_client(server, "Lyon Seul", [("x@lyon.fr", False)], agency="LYO")
    for method, path, body in [
        ("GET", f"{BASE}/{lyon}/users", None),
        ("POST", f"{BASE}/{lyon}/users/{user}/remind", None),
        ("DELETE", f"{BASE}/{lyon}/users/{user}", None),
        ("PUT", f"{BASE}/{lyon}/users/{user}/rights/invoices", {"granted": True, "expected": False}),
        ("POST", f"{BASE}/remind", {"client_ids": [lyon]}),
    ]:
        answer = server.client.request(method, path, params=params(server), json=body, headers=headers)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["code"] == "client_not_found"
    assert mails_to(server, "x@lyon.fr") == []


def test_bulk_reminder_mails_pending_users_once_per_24_hours_through_a_real_smtp_server(
    server: ServerHarness,
    smtp: tuple[Collector, int],  # noqa: F811
) -> None:
    handler, port = smtp
    headers = admin(server)
    first, _ = make_client(server, "Alpha", [("a1@alpha.fr", False), ("a2@alpha.fr", True)])
    second, _ = make_client(server, "Beta", [("b1@beta.fr", False)])
    done, _ = make_client(server, "Gamma", [("g@gamma.fr", True)], activated=True)

    answer = remind(server, headers, [first, second, done])

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["reminded"] == 2
    assert [(s["id"], s["name"], s["until"]) for s in body["skipped"]] == [(done, "Gamma", None)]
    assert sender(server, f"smtp://127.0.0.1:{port}").flush().sent == 2
    received = {e.rcpt_tos[0]: m for e, m in zip(handler.envelopes, handler.messages(), strict=True)}
    assert set(received) == {"a1@alpha.fr", "b1@beta.fr"}
    text = received["a1@alpha.fr"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Rappel" in text and "Alpha" in text and "/entreprise/activation/act_" in text
    assert "Activez votre accès" in received["a1@alpha.fr"]["Subject"]

    server.clock.advance(hours=23)
    headers = server.login("chef.clients@exemple.fr")  # the access token expired meanwhile
    again_response = remind(server, headers, [first])
    assert again_response.status_code == 200, again_response.text
    again = again_response.json()
    assert again["reminded"] == 0
    (skipped,) = again["skipped"]
    assert skipped["id"] == first and skipped["until"].startswith("2026-03-17T09:30")
    assert len(mails_to(server, "a1@alpha.fr")) == 1

    server.clock.advance(hours=1)
    headers = server.login("chef.clients@exemple.fr")
    assert remind(server, headers, [first]).json()["reminded"] == 1
    assert len(mails_to(server, "a1@alpha.fr")) == 2
    client_events = events(server, "client.reminded")
    assert [e.target_id for e in client_events] == [str(first), str(second), str(first)]


def users(server: ServerHarness, headers: dict[str, str], client_id: int) -> dict[str, Any]:
    response = server.client.get(f"{BASE}/{client_id}/users", params=params(server), headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def toggle(
    server: ServerHarness, headers: dict[str, str], cid: int, uid: int, right: str, granted: bool
) -> Any:
    return server.client.put(
        f"{BASE}/{cid}/users/{uid}/rights/{right}",
        params=params(server),
        json={"granted": granted, "expected": not granted},
        headers=headers,
    )


def test_users_rights_matrix_toggles_one_cell_and_the_later_colleague_gets_409_with_the_current_row(
    server: ServerHarness,
) -> None:
    claire = admin(server)
    paul = admin(server, "paul.admin@exemple.fr")
    cid, (uid,) = make_client(server, "Delta", [("d@delta.fr", False)])
    body = users(server, claire, cid)
    assert body["client"]["name"] == "Delta"
    assert body["users"][0]["rights"] == ["view_contracts"]  # the model's defaults

    first = toggle(server, claire, cid, uid, "invoices", True)
    late = toggle(server, paul, cid, uid, "invoices", True)
    same = server.client.put(
        f"{BASE}/{cid}/users/{uid}/rights/invoices",
        params=params(server),
        json={"granted": True, "expected": True},
        headers=paul,
    )

    assert first.status_code == 200 and first.json()["rights"] == ["view_contracts", "invoices"]
    assert late.status_code == 409
    problem = late.json()
    assert problem["code"] == "rights_changed" and problem["current"] is True
    assert problem["user"]["rights"] == ["view_contracts", "invoices"]
    assert "entre-temps" in problem["detail"]
    assert same.status_code == 200  # already in the wanted state: nothing to do
    assert len(events(server, "client_user.right_granted")) == 1
    assert toggle(server, claire, cid, uid, "bogus", True).status_code == 422


def add(server: ServerHarness, headers: dict[str, str], cid: int, **fields: Any) -> Any:
    body = {
        "email": "nouveau@delta.fr",
        "civility": "M.",
        "first_name": "Hugo",
        "last_name": "Lemaire",
        "rights": ["view_contracts", "sign_contracts"],
    } | fields
    return server.client.post(f"{BASE}/{cid}/invitations", params=params(server), json=body, headers=headers)


def test_adding_a_user_invites_them_and_bad_or_duplicate_emails_are_refused_in_french(
    server: ServerHarness,
) -> None:
    headers = admin(server)
    cid, _ = make_client(server, "Delta", [("d@delta.fr", False)])

    created = add(server, headers, cid, email="  Nouveau@Delta.FR ")
    bad = add(server, headers, cid, email="pas-une-adresse")
    duplicate = add(server, headers, cid, email="D@delta.fr")
    no_name = add(server, headers, cid, email="x@delta.fr", first_name=" ")
    no_civility = add(server, headers, cid, email="y@delta.fr", civility="Dr")

    assert created.status_code == 201, created.text
    user = created.json()["user"]
    assert user["email"] == "nouveau@delta.fr" and user["rights"] == ["view_contracts", "sign_contracts"]
    assert created.json()["mail"] == "invitation"
    (mail,) = mails_to(server, "nouveau@delta.fr")
    assert mail.kind == "client_invitation" and "Delta" in mail.subject and "act_" in mail.body_text
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_email")
    assert "Adresse e-mail invalide" in bad.json()["detail"]
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "duplicate_user")
    assert "déjà utilisateur de Delta" in duplicate.json()["detail"]
    assert no_name.json()["code"] == "invalid_name" and no_civility.json()["code"] == "invalid_civility"
    assert [u["email"] for u in users(server, headers, cid)["users"]] == ["d@delta.fr", "nouveau@delta.fr"]
    assert len(events(server, "client_user.added")) == 1


def test_deleting_a_user_and_a_user_deleted_meanwhile_is_not_found(server: ServerHarness) -> None:
    headers = admin(server)
    cid, (uid, other) = make_client(server, "Epsilon", [("e1@eps.fr", False), ("e2@eps.fr", True)])

    deleted = server.client.delete(f"{BASE}/{cid}/users/{uid}", params=params(server), headers=headers)
    again = server.client.delete(f"{BASE}/{cid}/users/{uid}", params=params(server), headers=headers)
    toggled = toggle(server, headers, cid, uid, "invoices", True)

    assert deleted.status_code == 204
    assert again.status_code == 404 and again.json()["code"] == "client_user_not_found"
    assert toggled.status_code == 404
    assert [u["id"] for u in users(server, headers, cid)["users"]] == [other]
    (event,) = events(server, "client_user.deleted")
    assert event.details["email"] == "e1@eps.fr"


def test_reminding_one_user_follows_the_24_hour_rule_shared_with_the_clients_reminder(
    server: ServerHarness,
) -> None:
    headers = admin(server)
    cid, (pending, active) = make_client(server, "Zêta", [("z1@zeta.fr", False), ("z2@zeta.fr", True)])
    url = f"{BASE}/{cid}/users/{{}}/remind"

    first = server.client.post(url.format(pending), params=params(server), headers=headers)
    second = server.client.post(url.format(pending), params=params(server), headers=headers)
    by_client = remind(server, headers, [cid]).json()
    activated = server.client.post(url.format(active), params=params(server), headers=headers)

    assert first.json() == {"reminded": 1, "skipped": [], "skipped_users": []}
    assert second.json()["reminded"] == 0 and second.json()["skipped"][0]["until"] is not None
    assert by_client["reminded"] == 0  # same mailbox, same 24 hours
    assert [u["id"] for u in by_client["skipped_users"]] == [pending]
    assert activated.status_code == 409 and activated.json()["code"] == "already_activated"
    assert len(mails_to(server, "z1@zeta.fr")) == 1
    assert len(events(server, "reminder.sent")) == 1


def test_the_24_hour_rule_holds_across_a_server_restart(server: ServerHarness) -> None:
    headers = admin(server)
    cid, _ = make_client(server, "Eta", [("eta@eta.fr", False)])
    assert remind(server, headers, [cid]).json()["reminded"] == 1
    server.close()

    restarted = ServerHarness.start(server.settings, clock=server.clock)  # same database, fresh process state
    try:
        answer = restarted.client.post(
            f"{BASE}/remind",
            params={"agency_id": restarted.agency_id("PAR11")},
            json={"client_ids": [cid]},
            headers=restarted.login("chef.clients@exemple.fr"),
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["reminded"] == 0 and answer.json()["skipped"][0]["until"] is not None
    finally:
        restarted.close()


def test_a_stale_row_never_acts_on_the_newcomer_who_got_the_deleted_users_id(server: ServerHarness) -> None:
    """SQLite gives the id of a deleted last row to the next user added: the address the desktop saw
    (sent with every change) tells them apart, so a colleague's stale row answers 404 and touches nobody."""
    me, colleague = admin(server), admin(server, "collegue.clients@exemple.fr")
    cid, (anne,) = make_client(server, "Delta Reuse", [("anne@delta.fr", False)])
    url = f"{BASE}/{cid}/users"
    assert server.client.delete(f"{url}/{anne}", params=params(server), headers=colleague).status_code == 204
    nina = add(server, colleague, cid, email="nina@delta.fr", first_name="Nina", last_name="Neuve").json()
    nina_id = nina["user"]["id"]

    seen = {**params(server), "email": "Anne@Delta.fr"}
    cell = {"granted": True, "expected": False, "email": "anne@delta.fr"}
    put = server.client.put(f"{url}/{nina_id}/rights/invoices", params=params(server), json=cell, headers=me)
    assert put.status_code == 404 and put.json()["code"] == "client_user_not_found"
    envelope = server.client.post(f"{url}/{nina_id}/remind", params=seen, headers=me)
    assert envelope.status_code == 404
    assert server.client.delete(f"{url}/{nina_id}", params=seen, headers=me).status_code == 404
    (left,) = users(server, me, cid)["users"]
    assert left["email"] == "nina@delta.fr" and "invoices" not in left["rights"]

    # The address as seen (any case) still lets the right person be changed and deleted.
    mine = {**cell, "email": " NINA@delta.fr "}
    put = server.client.put(f"{url}/{nina_id}/rights/invoices", params=params(server), json=mine, headers=me)
    assert put.status_code == 200 and "invoices" in put.json()["rights"]
    gone = server.client.delete(
        f"{url}/{nina_id}", params={**params(server), "email": "nina@delta.fr"}, headers=me
    )
    assert gone.status_code == 204


def test_a_bulk_reminder_takes_200_clients_per_request_and_says_so_in_french(server: ServerHarness) -> None:
    headers = admin(server)
    cids = [make_client(server, f"Lot {n:03}", [(f"u{n}@lot.fr", False)])[0] for n in range(201)]

    refused = remind(server, headers, cids)
    first, rest = remind(server, headers, cids[:200]), remind(server, headers, cids[200:])

    assert refused.status_code == 422 and refused.json()["code"] == "too_many"
    assert (
        refused.json()["detail"]
        == "200 clients au plus par demande : envoyez la suite dans une autre demande."
    )
    assert first.status_code == 200 and first.json()["reminded"] == 200
    assert rest.status_code == 200 and rest.json()["reminded"] == 1

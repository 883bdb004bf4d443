"""The rights matrix (F6.1): who is listed and how, read-only rights elsewhere limited to what the caller
sees, one cell set at a time with the state the caller saw (the later of two administrators gets 409 and
the current state), idempotence, the last administrator rule (also when two administrators remove each
other's "A" at the same moment), users removed meanwhile, audit events."""

from __future__ import annotations

import re
import threading
from typing import Any

from sqlalchemy import delete, select

from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import AuditEvent, Brand, RightGrant, StaffUser
from coffreo_desktop.server.errors import Conflict
from coffreo_desktop.server.services import admin_rights
from coffreo_desktop.server.services.audit import Actor
from tests.support import ServerHarness

RIGHTS = "/api/v1/admin/rights"
ALL = tuple(Right)


def user_id(server: ServerHarness, email: str) -> int:
    with server.ctx.db.reader() as s:
        return s.scalars(select(StaffUser.id).where(StaffUser.email == email)).one()


def admin_of_par11(server: ServerHarness, email: str = "chef.paris@exemple.fr") -> dict[str, str]:
    server.make_user(email, {"PAR11": (Right.ADMIN,)})
    return server.login(email)


def matrix(server: ServerHarness, headers: dict[str, str], agency: str = "PAR11") -> dict[str, Any]:
    response = server.client.get(RIGHTS, params={"agency_id": server.agency_id(agency)}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def row(body: dict[str, Any], email: str) -> dict[str, Any]:
    (found,) = [u for u in body["users"] if u["email"] == email]
    return found


def put(
    server: ServerHarness,
    headers: dict[str, str],
    uid: int,
    right: str,
    granted: bool,
    expected: bool | None = None,
    agency: str = "PAR11",
) -> Any:
    return server.client.put(
        f"{RIGHTS}/{uid}/{right}",
        params={"agency_id": server.agency_id(agency)},
        json={"granted": granted, "expected": (not granted) if expected is None else expected},
        headers=headers,
    )


def events(server: ServerHarness, action: str) -> list[AuditEvent]:
    with server.ctx.db.reader() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_matrix_lists_every_user_with_a_right_on_the_agency_sorted_by_last_then_first_name(
    server: ServerHarness,
) -> None:
    headers = admin_of_par11(server)
    server.make_user("emile.adam@exemple.fr", {"PAR11": (Right.RELEVES_HEURES, Right.ADMIN)}, password=None)
    server.make_user("lyon.seulement@exemple.fr", {"LYO": ALL})

    body = matrix(server, headers)

    assert body["agency_id"] == server.agency_id("PAR11") and body["version"]
    emails = [u["email"] for u in body["users"]]
    assert "lyon.seulement@exemple.fr" not in emails  # no right on this agency: not a row
    names = [(u["last_name"], u["first_name"]) for u in body["users"]]
    assert names == sorted(names, key=lambda n: (n[0].casefold(), n[1].casefold()))
    assert [n[0] for n in names] == ["Bertrand", "Chef.Paris", "Emile.Adam", "Garnier", "Moreau"]
    new = row(body, "emile.adam@exemple.fr")
    assert new["rights"] == ["A", "RH"]  # matrix order, whatever the grant order
    assert new["invited"] is True and new["active"] is True
    thomas = row(body, "restreint@demo.coffreo.fr")
    assert thomas["rights"] == ["DL", "RH"] and thomas["invited"] is False
    assert set(thomas) == {
        "user_id",
        "first_name",
        "last_name",
        "email",
        "active",
        "invited",
        "rights",
        "other_agencies",
        "brand_rights",
    }


def test_rights_elsewhere_are_shown_only_for_agencies_and_brands_the_caller_sees(
    server: ServerHarness,
) -> None:
    chef = admin_of_par11(server)
    server.make_user("groupe@exemple.fr", {"PAR11": (Right.ADMIN,), "NAN": (Right.DIFFUSION,)})
    group = server.login("groupe@exemple.fr")
    with server.ctx.db.reader() as s:
        brand = s.scalars(select(Brand)).one()

    julien_for_chef = row(matrix(server, chef), "diffusion@demo.coffreo.fr")
    julien_for_group = row(matrix(server, group), "diffusion@demo.coffreo.fr")
    claire_for_chef = row(matrix(server, chef), "admin@demo.coffreo.fr")

    assert julien_for_chef["other_agencies"] == []  # Nanterre is not among the chef's agencies
    assert julien_for_group["other_agencies"] == [
        {
            "agency_id": server.agency_id("NAN"),
            "agency_name": "Alto Nanterre",
            "rights": ["D", "DL", "DLP", "DLS"],
        }
    ]
    assert claire_for_chef["rights"] == ["A", "D", "DL", "DLP", "DLS", "DA", "RH"]
    assert claire_for_chef["other_agencies"] == []
    assert claire_for_chef["brand_rights"] == [
        {"brand_id": brand.id, "brand_name": brand.name, "rights": ["D"]}
    ]


def test_the_matrix_is_refused_without_A_on_the_agency(server: ServerHarness) -> None:
    server.make_user("tout.sauf.a@exemple.fr", {"PAR11": tuple(r for r in Right if r is not Right.ADMIN)})
    server.make_user("admin.lyon@exemple.fr", {"LYO": (Right.ADMIN,)})
    for email in ("tout.sauf.a@exemple.fr", "admin.lyon@exemple.fr"):
        response = server.client.get(
            RIGHTS, params={"agency_id": server.agency_id("PAR11")}, headers=server.login(email)
        )
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")


def test_granting_then_revoking_a_cell_is_saved_audited_and_changes_the_version(
    server: ServerHarness,
) -> None:
    headers = admin_of_par11(server)
    julien = user_id(server, "diffusion@demo.coffreo.fr")
    chef = user_id(server, "chef.paris@exemple.fr")
    before = matrix(server, headers)["version"]

    granted = put(server, headers, julien, "DA", True)
    assert granted.status_code == 200, granted.text
    assert granted.json()["rights"] == ["D", "DL", "DLP", "DLS", "DA"]
    after = matrix(server, headers)
    assert row(after, "diffusion@demo.coffreo.fr")["rights"] == ["D", "DL", "DLP", "DLS", "DA"]
    assert after["version"] != before
    assert matrix(server, headers)["version"] == after["version"]  # stable while nothing changes

    revoked = put(server, headers, julien, "DA", False)
    assert revoked.status_code == 200 and revoked.json()["rights"] == ["D", "DL", "DLP", "DLS"]

    (grant_event,) = events(server, "right.granted")
    (revoke_event,) = events(server, "right.revoked")
    for event, right in ((grant_event, "DA"), (revoke_event, "DA")):
        assert (event.actor_kind, event.actor_id) == ("staff", chef)
        assert event.agency_id == server.agency_id("PAR11")
        assert (event.target_type, event.target_id) == ("staff_user", str(julien))
        assert event.details["right"] == right
    with server.ctx.db.reader() as s:
        assert (
            s.scalar(
                select(RightGrant.id).where(RightGrant.user_id == julien, RightGrant.right == Right.ACOMPTES)
            )
            is None
        )


def test_a_granted_cell_records_who_granted_it(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    julien = user_id(server, "diffusion@demo.coffreo.fr")
    assert put(server, headers, julien, "RH", True).status_code == 200
    with server.ctx.db.reader() as s:
        by = s.scalar(
            select(RightGrant.granted_by).where(
                RightGrant.user_id == julien, RightGrant.right == Right.RELEVES_HEURES
            )
        )
    assert by == user_id(server, "chef.paris@exemple.fr")


def test_setting_a_cell_to_the_state_it_already_has_is_idempotent(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    julien = user_id(server, "diffusion@demo.coffreo.fr")

    first = put(server, headers, julien, "D", True, expected=True)

    assert first.status_code == 200 and "D" in first.json()["rights"]
    assert events(server, "right.granted") == []


def test_two_administrators_toggling_the_same_cell_the_later_sees_the_current_state(
    server: ServerHarness,
) -> None:
    first = admin_of_par11(server, "claire.martin@exemple.fr")
    with server.session() as s, s.begin():
        user = s.scalars(select(StaffUser).where(StaffUser.email == "claire.martin@exemple.fr")).one()
        user.first_name, user.last_name = "Claire", "Martin"
    second = admin_of_par11(server, "paul.roux@exemple.fr")
    julien = user_id(server, "diffusion@demo.coffreo.fr")
    # Both see the cell "DA" of Julien off, and both click it.
    assert row(matrix(server, first), "diffusion@demo.coffreo.fr")["rights"] == ["D", "DL", "DLP", "DLS"]
    assert row(matrix(server, second), "diffusion@demo.coffreo.fr")["rights"] == ["D", "DL", "DLP", "DLS"]

    assert put(server, first, julien, "DA", True, expected=False).status_code == 200
    later = put(server, second, julien, "DA", True, expected=False)

    assert later.status_code == 409
    problem = later.json()
    assert problem["code"] == "rights_changed"
    assert re.fullmatch(
        r"Ce droit a été modifié par Claire Martin le \d\d/\d\d/\d{4} à \d\d:\d\d : "
        r"l'état actuel est affiché\.",
        problem["detail"],
    ), problem["detail"]
    assert problem["right"] == "DA" and problem["current"] is True
    assert problem["user"]["user_id"] == julien
    assert problem["user"]["rights"] == ["D", "DL", "DLP", "DLS", "DA"]
    assert len(events(server, "right.granted")) == 1  # the later request wrote nothing

    # The same when the first one switches a cell off that the second still sees on.
    assert put(server, first, julien, "DL", False, expected=True).status_code == 200
    stale = put(server, second, julien, "DL", False, expected=True)
    assert stale.status_code == 409 and stale.json()["current"] is False
    assert "DL" not in stale.json()["user"]["rights"]
    assert "Claire Martin" in stale.json()["detail"]


def test_the_last_administrator_cannot_remove_their_own_A(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    chef = user_id(server, "chef.paris@exemple.fr")
    claire = user_id(server, "admin@demo.coffreo.fr")
    # An invited administrator who never chose a password does not count.
    server.make_user("invite.admin@exemple.fr", {"PAR11": (Right.ADMIN,)}, password=None)
    server.make_user("marque.admin@exemple.fr", brand_rights={1: (Right.ADMIN,)})  # nor does brand-level "A"
    server.make_user("ancien.admin@exemple.fr", {"PAR11": (Right.ADMIN, Right.DIFFUSION)})
    with server.session() as s, s.begin():
        s.scalars(select(StaffUser).where(StaffUser.email == "ancien.admin@exemple.fr")).one().active = False
    assert put(server, headers, chef, "D", True).status_code == 200  # so "A" is not their last right
    assert put(server, headers, claire, "A", False).status_code == 200

    refused = put(server, headers, chef, "A", False)

    assert refused.status_code == 409
    assert refused.json()["code"] == "last_admin"
    assert refused.json()["detail"].startswith("Vous êtes le dernier administrateur de l'établissement Alto")
    assert "A" in row(matrix(server, headers), "chef.paris@exemple.fr")["rights"]
    assert events(server, "right.revoked")[-1].target_id == str(claire)
    # Once another active user holds "A", the former last administrator may step down.
    assert put(server, headers, claire, "A", True).status_code == 200
    assert put(server, headers, chef, "A", False).status_code == 200


def test_an_administrator_through_the_brand_cannot_remove_the_agency_last_A(server: ServerHarness) -> None:
    server.make_user("marque.admin@exemple.fr", brand_rights={1: (Right.ADMIN,)})
    brand_admin = server.login("marque.admin@exemple.fr")
    claire = user_id(server, "admin@demo.coffreo.fr")

    refused = put(server, brand_admin, claire, "A", False)

    assert refused.status_code == 409 and refused.json()["code"] == "last_admin"
    assert refused.json()["detail"].startswith("Claire Moreau est le dernier administrateur")


def test_switching_off_the_last_right_of_a_user_asks_to_remove_the_access(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    server.make_user("un.droit@exemple.fr", {"PAR11": (Right.RELEVES_HEURES,)})

    refused = put(server, headers, user_id(server, "un.droit@exemple.fr"), "RH", False)

    assert refused.status_code == 409 and refused.json()["code"] == "last_right"
    assert "supprimez plutôt son accès" in refused.json()["detail"]


def test_a_user_removed_meanwhile_answers_404_and_a_stranger_cannot_be_granted(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    thomas = user_id(server, "restreint@demo.coffreo.fr")
    server.make_user("lyon.seul@exemple.fr", {"LYO": (Right.ACOMPTES,)})
    params = {"agency_id": server.agency_id("PAR11")}
    assert (
        server.client.delete(f"/api/v1/admin/accesses/{thomas}", params=params, headers=headers).status_code
        == 204
    )

    gone = put(server, headers, thomas, "DA", True)
    stranger = put(server, headers, user_id(server, "lyon.seul@exemple.fr"), "DA", True)
    missing = put(server, headers, 987654, "DA", True)

    assert gone.status_code == 404 and gone.json()["code"] == "access_not_found"
    assert "supprimé entre-temps" in gone.json()["detail"]
    assert stranger.status_code == 404  # adding someone goes through "+" (POST /admin/accesses)
    assert missing.status_code == 404 and missing.json()["code"] == "staff_not_found"


def test_a_disabled_account_gets_no_new_right_but_may_lose_one(server: ServerHarness) -> None:
    """As "+ Créer un accès" refuses a disabled account, so does a cell of the matrix; removing stays."""
    headers = admin_of_par11(server)
    server.make_user("parti@exemple.fr", {"PAR11": (Right.DIFFUSION, Right.ACOMPTES)})
    with server.session() as s, s.begin():
        s.scalars(select(StaffUser).where(StaffUser.email == "parti@exemple.fr")).one().active = False
    parti = user_id(server, "parti@exemple.fr")

    refused = put(server, headers, parti, "A", True)

    assert refused.status_code == 409 and refused.json()["code"] == "account_disabled"
    assert "est désactivé" in refused.json()["detail"]
    assert "A" not in row(matrix(server, headers), "parti@exemple.fr")["rights"]
    assert put(server, headers, parti, "DA", False).status_code == 200


def test_granting_on_an_agency_where_the_caller_is_not_A_is_forbidden(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    server.make_user("lyon.da@exemple.fr", {"LYO": (Right.ACOMPTES,)})
    sofia = user_id(server, "lyon.da@exemple.fr")

    refused = put(server, headers, sofia, "D", True, agency="LYO")

    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "Cet établissement ne fait pas partie de ceux auxquels vous avez accès."
    )
    assert events(server, "right.granted") == []


def test_an_unknown_right_or_a_missing_body_is_refused_in_french(server: ServerHarness) -> None:
    headers = admin_of_par11(server)
    julien = user_id(server, "diffusion@demo.coffreo.fr")

    unknown = put(server, headers, julien, "ZZ", True)
    no_body = server.client.put(
        f"{RIGHTS}/{julien}/DA", params={"agency_id": server.agency_id("PAR11")}, headers=headers
    )

    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("Requête invalide")
    assert no_body.status_code == 422


def test_two_administrators_removing_each_other_A_at_once_leave_one_administrator(
    server: ServerHarness,
) -> None:
    par11 = server.agency_id("PAR11")
    first = server.make_user("premier.admin@exemple.fr", {"PAR11": (Right.ADMIN, Right.DIFFUSION)})
    second = server.make_user("second.admin@exemple.fr", {"PAR11": (Right.ADMIN, Right.DIFFUSION)})
    with server.session() as s, s.begin():  # Claire steps down: the two of them are the last ones
        s.execute(
            delete(RightGrant).where(
                RightGrant.user_id == user_id(server, "admin@demo.coffreo.fr"), RightGrant.agency_id == par11
            )
        )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove_the_other(actor: int, target: int) -> None:
        with server.session() as s:
            try:
                with s.begin():
                    barrier.wait()
                    admin_rights.set_right(
                        s,
                        actor=Actor("staff", actor),
                        viewer=RightSet.of((), {}),
                        agency_id=par11,
                        user_id=target,
                        right=Right.ADMIN,
                        granted=False,
                        expected=True,
                        now=server.clock(),
                    )
                outcomes.append("retiré")
            except Conflict as refused:
                outcomes.append(refused.code)

    threads = [
        threading.Thread(target=remove_the_other, args=(first, second)),
        threading.Thread(target=remove_the_other, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["last_admin", "retiré"]
    with server.ctx.db.reader() as s:
        admins = s.scalars(
            select(RightGrant.user_id).where(RightGrant.agency_id == par11, RightGrant.right == Right.ADMIN)
        ).all()
    assert len(admins) == 1

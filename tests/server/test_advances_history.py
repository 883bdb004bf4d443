"""Historique des demandes (F5.4): processed requests sort on every column, both ways, like a brute-force
sort (ties by id), page by keyset; the history CSV holds the listed rows, with comments starting like a
formula neutralised; the payroll CSV lists the advances accepted in a period, for deduction on the next
pay."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest

from coffreo_desktop.domain.advances import HISTORY_SORTS
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from tests.server.advance_helpers import URL, add_request, all_pages, da_user, decide, new_worker
from tests.support import ServerHarness

TEXT_SORTS = {"last_name", "matricule", "agency", "state", "decided_by"}


def history_rows(server: ServerHarness, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    return all_pages(server, "history", headers, **params)


def brute_key(item: dict[str, Any], sort: str) -> Any:
    match sort:
        case "created_at":
            return datetime.fromisoformat(item["created_at"])
        case "decided_at":
            return datetime.fromisoformat(item["decided_at"] or item["cancelled_at"])
        case "agency":
            return item["agency_name"]
        case "amount":
            # A "montant maximum" request: its granted amount once accepted, else after every amount.
            if item["amount_cents"] is not None:
                return item["amount_cents"]
            return item["granted_cents"] if item["granted_cents"] is not None else float("inf")
        case "granted":
            return item["granted_cents"] or 0
        case "decided_by":
            return item["decided_by_name"] or ""
    return item[sort]


def make_history(server: ServerHarness) -> None:
    """Processed requests with ties on every column (same instants, amounts, names, states)."""
    base = server.clock() - timedelta(days=20)
    workers = [
        new_worker(server, "LYO", "VIL", last_name=name)[0] for name in ("Dupont", "Dupont", "Ba", "Zoé")
    ]
    decider = server.make_user("decideur@exemple.fr", {"LYO": (Right.ACOMPTES,)})
    for n in range(14):
        created = base + timedelta(hours=n // 3)
        state = (AdvanceState.ACCEPTED, AdvanceState.REFUSED, AdvanceState.CANCELLED)[n % 3]
        outcome: dict[str, Any] = {"cancelled_at": created + timedelta(hours=2)}
        if state is not AdvanceState.CANCELLED:
            outcome = {
                "decided_at": created + timedelta(hours=(n % 4)),
                "decided_by": decider if n % 2 else None,
                "granted_cents": (n % 3) * 5000 if state is AdvanceState.ACCEPTED else None,
            }
        add_request(
            server,
            workers[n % 4],
            ("LYO", "VIL")[n % 2],
            amount_cents=(n % 5) * 5000 or None,
            wants_maximum=n % 5 == 0,
            created_at=created,
            state=state,
            **outcome,
        )


def test_history_sorts_on_every_column_both_ways_like_a_brute_force_sort(server: ServerHarness) -> None:
    make_history(server)
    headers = da_user(server, "histo@exemple.fr", "LYO", "VIL")
    every = history_rows(server, headers, sort="created_at", order="asc", limit=500)
    assert {i["state"] for i in every} == {"accepted", "refused", "cancelled"}
    for sort in HISTORY_SORTS:
        for order in ("asc", "desc"):
            got = [i["id"] for i in history_rows(server, headers, sort=sort, order=order, limit=4)]
            expected = sorted(every, key=lambda i: (brute_key(i, sort), i["id"]), reverse=order == "desc")
            assert len(got) == len(set(got)) == len(every)
            # PostgreSQL orders text by the database's collation, Python by code point.
            if sort not in TEXT_SORTS or server.ctx.db.url.startswith("sqlite"):
                assert got == [i["id"] for i in expected], (sort, order)
    unknown = server.client.get(f"{URL}/history", params={"sort": "salaire"}, headers=headers)
    assert unknown.status_code == 422
    first = server.client.get(f"{URL}/history", params={"limit": 2, "sort": "amount"}, headers=headers).json()
    other_sort = server.client.get(
        f"{URL}/history", params={"sort": "granted", "cursor": first["next_cursor"]}, headers=headers
    )
    assert other_sort.status_code == 422
    assert other_sort.json()["code"] == "invalid_cursor"


def parse_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_history_csv_holds_the_listed_rows_in_order(server: ServerHarness) -> None:
    make_history(server)
    headers = da_user(server, "export@exemple.fr", "LYO")
    params = {"agency_id": server.agency_id("LYO"), "sort": "last_name", "order": "asc"}
    listed = history_rows(server, headers, **params)
    response = server.client.get(f"{URL}/history.csv", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    header, *lines = parse_csv(response.content)
    assert header[:3] == ["Date de la demande", "Matricule", "Nom"]
    assert [line[1] for line in lines] == [i["matricule"] for i in listed]
    by_state = {line[7] for line in lines}
    assert by_state <= {"Acceptée", "Acceptée partiellement", "Refusée", "Annulée"}
    assert "Annulée" in by_state


def test_payroll_csv_lists_accepted_advances_decided_in_the_period(server: ServerHarness) -> None:
    headers = da_user(server, "paie@exemple.fr", "LYO", "VIL")
    worker, matricule = new_worker(server, "LYO", "VIL", last_name="=Formule")
    inside = server.clock() - timedelta(days=3)
    add_request(server, worker, "LYO", state=AdvanceState.ACCEPTED, granted_cents=12050, decided_at=inside)
    add_request(server, worker, "VIL", state=AdvanceState.REFUSED, decided_at=inside)
    add_request(
        server,
        worker,
        "VIL",
        state=AdvanceState.ACCEPTED,
        granted_cents=9900,
        decided_at=inside - timedelta(days=30),
    )
    response = server.client.get(
        f"{URL}/payroll.csv", params={"date_from": "2026-03-01", "date_to": "2026-03-31"}, headers=headers
    )
    assert response.status_code == 200
    header, *lines = parse_csv(response.content)
    assert header == [
        "Matricule",
        "Nom",
        "Prénom",
        "Agence",
        "Code agence",
        "Montant accordé (€)",
        "Date d'acceptation",
    ]
    mine = [line for line in lines if line[0] == matricule]
    assert mine == [[matricule, "'=Formule", "Prénom", "Alto Lyon Part-Dieu", "LYO", "120,50", "13/03/2026"]]
    assert all(line[4] in ("LYO", "VIL") for line in lines)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_history_csv_neutralises_comments_that_start_like_a_formula(
    server: ServerHarness, start: str
) -> None:
    headers = da_user(server, f"formule{ord(start)}@exemple.fr", "LYO")
    worker, matricule = new_worker(server, "LYO")
    worker_comment = f'{start}HYPERLINK("http://exemple.invalid";"Cliquez")'
    request_id = add_request(server, worker, "LYO", amount_cents=5000, comment=worker_comment)
    decision_comment = f"{start}1+1"
    answered = decide(server, headers, request_id, decision="refuse", comment=decision_comment)
    assert answered.status_code == 200, answered.text

    response = server.client.get(
        f"{URL}/history.csv", params={"agency_id": server.agency_id("LYO")}, headers=headers
    )

    assert response.status_code == 200
    header, *lines = parse_csv(response.content)
    (line,) = [cells for cells in lines if cells[1] == matricule]
    assert line[header.index("Commentaire du salarié")] == "'" + worker_comment
    assert line[header.index("Commentaire de l'agence")] == "'" + decision_comment
    assert all(not cell.startswith(("=", "+", "-", "@")) for cells in lines for cell in cells)

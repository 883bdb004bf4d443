"""Campaign routes (F4): brand campaigns need the brand right, two colleagues on one draft (409 naming who
and when), documents (2 MB, the shared PDF check), duplicate, options, and the recipients: pages, counts
per day, the CSV's rows, the export mailed through the outbox."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from coffreo_desktop.domain.services import Service
from coffreo_desktop.server.db.models import (
    Agency,
    BrandService,
    CampaignDelivery,
    Document,
    Employee,
    OutboxMail,
)
from tests.pdf_corpus import blank_pdf
from tests.server.campaign_helpers import (
    URL,
    add_document,
    audit_actions,
    body,
    brand_id,
    create,
    diffuser,
    ready_draft,
    today,
)
from tests.support import ServerHarness


@pytest.fixture
def par11(server: ServerHarness) -> dict[str, int]:
    return {"agency_id": server.agency_id("PAR11")}


def test_a_brand_campaign_needs_the_right_on_the_brand_itself(server: ServerHarness) -> None:
    brand = brand_id(server)
    agency_only = diffuser(server, "agence@exemple.fr", agencies=("PAR11", "NAN", "LYO"))
    refused = server.client.post(URL, json=body({"brand_id": brand}), headers=agency_only)
    assert refused.status_code == 403
    assert "droit « Diffusion pilotée » sur la marque" in refused.json()["detail"]
    assert server.client.get(URL, params={"brand_id": brand}, headers=agency_only).status_code == 403
    granted = diffuser(server, "marque@exemple.fr", agencies=(), brands=(brand,))
    created = server.client.post(URL, json=body({"brand_id": brand}), headers=granted)
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert (campaign["scope"], campaign["brand_id"], campaign["agency_id"]) == ("brand", brand, None)
    assert campaign["scope_name"].startswith("Alto")
    assert campaign["created_by_name"] == "Test Marque"
    # The agency-only colleague does not see it either.
    assert server.client.get(f"{URL}/{campaign['id']}", headers=agency_only).status_code == 404
    listed = server.client.get(URL, params={"brand_id": brand}, headers=granted).json()
    assert campaign["id"] in [c["id"] for c in listed["items"]]


def test_a_campaign_of_another_agency_is_not_found(server: ServerHarness, par11: dict[str, int]) -> None:
    paris = diffuser(server, "paris@exemple.fr")
    lyon = diffuser(server, "lyon@exemple.fr", agencies=("LYO",))
    campaign = create(server, paris, par11)
    assert server.client.get(f"{URL}/{campaign['id']}", headers=lyon).status_code == 404
    put = server.client.put(f"{URL}/{campaign['id']}", json=body(par11, version=1), headers=lyon)
    assert put.status_code == 404
    assert server.client.get(f"{URL}/{campaign['id']}", headers=paris).status_code == 200


def test_two_colleagues_editing_one_draft_the_second_gets_409_naming_who_and_when(
    server: ServerHarness, par11: dict[str, int]
) -> None:
    alice = diffuser(server, "alice.martin@exemple.fr")
    bruno = diffuser(server, "bruno.petit@exemple.fr")
    draft = create(server, alice, par11)
    seen_by_alice = server.client.get(f"{URL}/{draft['id']}", headers=alice).json()
    seen_by_bruno = server.client.get(f"{URL}/{draft['id']}", headers=bruno).json()
    server.clock.advance(minutes=5)
    first = server.client.put(
        f"{URL}/{draft['id']}",
        json=body(par11, name="Version d'Alice", version=seen_by_alice["version"]),
        headers=alice,
    )
    assert first.status_code == 200, first.text
    second = server.client.put(
        f"{URL}/{draft['id']}",
        json=body(par11, name="Version de Bruno", version=seen_by_bruno["version"]),
        headers=bruno,
    )
    assert second.status_code == 409
    problem = second.json()
    assert problem["code"] == "stale_campaign"
    assert "Test Alice.Martin" in problem["detail"]
    # The audit's clock is the real one: the time named is today's, in Paris.
    assert "rechargez-la" in problem["detail"] and " à " in problem["detail"]
    final = server.client.get(f"{URL}/{draft['id']}", headers=bruno).json()
    assert final["name"] == "Version d'Alice"
    assert audit_actions(server, draft["id"]) == ["campaign.create", "campaign.update"]


def test_a_change_without_the_version_read_is_refused(server: ServerHarness, par11: dict[str, int]) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    draft = create(server, alice, par11)
    response = server.client.put(f"{URL}/{draft['id']}", json=body(par11), headers=alice)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"on_payslips": False, "on_contracts": False}, "on_payslips"),
        ({"starts_on": "2026-04-10", "ends_on": "2026-04-01"}, "ends_on"),
        ({"client_filter_id": 1}, "client_filter_id"),
        ({"cadre_filter": "stagiaire"}, "cadre_filter"),
    ],
)
def test_bad_settings_are_refused_with_the_field(
    server: ServerHarness, par11: dict[str, int], changes: dict[str, object], field: str
) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    response = server.client.post(URL, json=body(par11, **changes), headers=alice)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_signed_needs_the_option_of_the_entity(server: ServerHarness, par11: dict[str, int]) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    options = server.client.get(f"{URL}/options", params=par11, headers=alice).json()
    assert options["signed_available"] is True
    assert options["max_document_size"] == 2 * 1024 * 1024 and options["max_retroactive_days"] == 92
    assert options["earliest_retroactive_start"] == "2025-12-16"
    assert options["clients"] and {"id", "name"} == set(options["clients"][0])
    assert create(server, alice, par11, signed=True)["signed"] is True
    with server.session() as s, s.begin():
        s.execute(delete(BrandService).where(BrandService.service == Service.DIFFUSION_SIGNEE))
    assert (
        server.client.get(f"{URL}/options", params=par11, headers=alice).json()["signed_available"] is False
    )
    refused = server.client.post(URL, json=body(par11, signed=True), headers=alice)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "signed"


def test_the_client_filter_applies_to_contracts_of_a_client_of_the_brand(
    server: ServerHarness, par11: dict[str, int]
) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    client = server.client.get(f"{URL}/options", params=par11, headers=alice).json()["clients"][0]
    campaign = create(server, alice, par11, on_contracts=True, client_filter_id=client["id"])
    assert (campaign["client_filter_id"], campaign["client_filter_name"]) == (client["id"], client["name"])
    unknown = server.client.post(
        URL, json=body(par11, on_contracts=True, client_filter_id=999999), headers=alice
    )
    assert unknown.status_code == 422


def test_documents_are_checked_stored_served_and_removed(
    server: ServerHarness, par11: dict[str, int]
) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    draft = create(server, alice, par11)
    content = blank_pdf(3, text="Livret d'accueil")
    added = add_document(server, alice, draft, content)
    assert added.status_code == 201, added.text
    (doc,) = added.json()["documents"]
    assert (doc["title"], doc["file_name"], doc["size"], doc["pages"]) == (
        "Consignes de sécurité",
        "note.pdf",
        len(content),
        3,
    )
    served = server.client.get(f"{URL}/{draft['id']}/documents/{doc['id']}/file", headers=alice)
    assert served.status_code == 200 and served.content == content
    not_pdf = add_document(server, alice, added.json(), b"ceci n'est pas un PDF")
    assert not_pdf.status_code == 422
    too_big = add_document(server, alice, added.json(), blank_pdf(1) + b"%" * (2 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.json()["code"] == "too_large"
    removed = server.client.delete(
        f"{URL}/{draft['id']}/documents/{doc['id']}",
        params={"version": added.json()["version"]},
        headers=alice,
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["documents"] == []
    assert audit_actions(server, draft["id"]) == [
        "campaign.create",
        "campaign.document_add",
        "campaign.document_remove",
    ]


def test_duplicate_copies_the_configuration_and_documents_with_dates_cleared(
    server: ServerHarness, par11: dict[str, int]
) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    client = server.client.get(f"{URL}/options", params=par11, headers=alice).json()["clients"][0]
    source = ready_draft(
        server,
        alice,
        par11,
        on_contracts=True,
        cadre_filter="cadre",
        client_filter_id=client["id"],
        signed=True,
        starts_on=today(server) + timedelta(days=2),
        ends_on=today(server) + timedelta(days=20),
    )
    copied = server.client.post(f"{URL}/{source['id']}/duplicate", headers=alice)
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    assert copy["name"] == "Copie de Note sécurité 2026" and copy["state"] == "draft"
    assert (copy["starts_on"], copy["ends_on"], copy["retroactive_from"]) == (None, None, None)
    for key in ("on_payslips", "on_contracts", "cadre_filter", "client_filter_id", "signed", "agency_id"):
        assert copy[key] == source[key], key
    assert [(d["title"], d["size"]) for d in copy["documents"]] == [
        (d["title"], d["size"]) for d in source["documents"]
    ]
    assert audit_actions(server, copy["id"]) == ["campaign.duplicate"]


PARIS_TIMES = [
    datetime(2026, 3, 2, 8, 15, tzinfo=UTC),  # 02/03 09:15 in Paris
    datetime(2026, 3, 2, 23, 30, tzinfo=UTC),  # 03/03 00:30 in Paris: counted on the 3rd
    datetime(2026, 3, 5, 12, 0, tzinfo=UTC),
]


@pytest.fixture
def delivered(server: ServerHarness, par11: dict[str, int]) -> tuple[dict[str, str], dict, list[Employee]]:
    """An active campaign of PAR11 delivered to three employees at known times."""
    alice = diffuser(server, "alice@exemple.fr")
    campaign = ready_draft(server, alice, par11, starts_on=today(server))
    campaign = server.client.post(
        f"{URL}/{campaign['id']}/launch", json={"version": campaign["version"]}, headers=alice
    ).json()
    with server.session() as s, s.begin():
        docs = s.execute(
            select(Document.id, Document.employee_id)
            .where(Document.employee_id.is_not(None))
            .order_by(Document.agency_id != par11["agency_id"], Document.id)
        ).all()
        firsts: dict[int, int] = {}
        for doc_id, employee_id in docs:
            firsts.setdefault(employee_id, doc_id)
        chosen = list(firsts.items())[:3]
        s.add_all(
            CampaignDelivery(
                campaign_id=campaign["id"], employee_id=e, trigger_document_id=d, delivered_at=at
            )
            for (e, d), at in zip(chosen, PARIS_TIMES, strict=True)
        )
        employees = [s.get(Employee, e) for e, _ in chosen]
        for employee, (_, doc_id) in zip(employees, chosen, strict=True):
            employee.agency_name = s.get(Agency, s.get(Document, doc_id).agency_id).name  # type: ignore[union-attr]
        s.expunge_all()
    return alice, campaign, employees


def test_the_export_rows_are_the_recipients_in_delivery_order(
    server: ServerHarness, delivered: tuple[dict[str, str], dict, list[Employee]]
) -> None:
    alice, campaign, employees = delivered
    response = server.client.get(f"{URL}/{campaign['id']}/deliveries.csv", headers=alice)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Matricule", "Nom", "Prénom", "Agence", "Diffusé le"]
    assert rows[1:] == [
        [e.matricule, e.last_name, e.first_name, e.agency_name, shown]
        for e, shown in zip(
            employees, ["02/03/2026 09:15", "03/03/2026 00:30", "05/03/2026 13:00"], strict=True
        )
    ]
    assert response.content.count(b"\r\n") == 4
    # A range of Paris days: the 3rd only.
    one_day = server.client.get(
        f"{URL}/{campaign['id']}/deliveries.csv",
        params={"from": "2026-03-03", "to": "2026-03-03"},
        headers=alice,
    )
    assert [r[0] for r in csv.reader(io.StringIO(one_day.content.decode("utf-8-sig")), delimiter=";")][
        1:
    ] == [employees[1].matricule]


def test_recipients_are_paged_newest_first_and_counted_per_day(
    server: ServerHarness, delivered: tuple[dict[str, str], dict, list[Employee]]
) -> None:
    alice, campaign, employees = delivered
    first = server.client.get(f"{URL}/{campaign['id']}/deliveries", params={"limit": 2}, headers=alice).json()
    assert first["total"] == 3 and first["next_cursor"]
    rest = server.client.get(
        f"{URL}/{campaign['id']}/deliveries",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=alice,
    ).json()
    assert rest["next_cursor"] is None
    ids = [i["employee_id"] for i in first["items"] + rest["items"]]
    assert ids == [e.id for e in reversed(employees)]
    assert first["items"][0]["agency_name"] == employees[-1].agency_name
    daily = server.client.get(
        f"{URL}/{campaign['id']}/deliveries/daily",
        params={"from": "2026-03-01", "to": "2026-03-05"},
        headers=alice,
    ).json()
    assert daily["days"] == [
        {"day": "2026-03-01", "count": 0},
        {"day": "2026-03-02", "count": 1},
        {"day": "2026-03-03", "count": 1},
        {"day": "2026-03-04", "count": 0},
        {"day": "2026-03-05", "count": 1},
    ]
    listing = server.client.get(URL, params={"agency_id": campaign["agency_id"]}, headers=alice).json()
    mine = next(c for c in listing["items"] if c["id"] == campaign["id"])
    assert mine["deliveries"] == 3
    assert listing["synthesis"]["deliveries"] >= 3 and listing["synthesis"]["running"] >= 1
    drafts_tab = server.client.get(
        URL, params={"agency_id": campaign["agency_id"], "state": "draft"}, headers=alice
    ).json()
    assert drafts_tab["synthesis"] == listing["synthesis"]
    assert all(c["state"] == "draft" for c in drafts_tab["items"])


def test_the_mailed_export_lands_in_the_outbox(
    server: ServerHarness, delivered: tuple[dict[str, str], dict, list[Employee]]
) -> None:
    alice, campaign, employees = delivered
    response = server.client.post(
        f"{URL}/{campaign['id']}/deliveries/mail",
        json={"from": "2026-03-01", "to": "2026-03-31"},
        headers=alice,
    )
    assert response.status_code == 202, response.text
    with server.ctx.db.reader() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.kind == "campaign_export")).one()
        assert mail.to_addr == "alice@exemple.fr"
        assert campaign["name"] in mail.subject
        assert "du 01/03/2026 au 31/03/2026 : 3 salarié(s)" in mail.body_text
        for e in employees:
            assert f"{e.matricule};{e.last_name};{e.first_name}" in mail.body_text


def test_simultaneous_edits_of_one_version_let_exactly_one_through(
    server: ServerHarness, par11: dict[str, int]
) -> None:
    alice = diffuser(server, "alice@exemple.fr")
    bruno = diffuser(server, "bruno@exemple.fr")
    draft = create(server, alice, par11)
    barrier = threading.Barrier(2)

    def edit(headers: dict[str, str], name: str) -> int:
        barrier.wait()
        url = f"{URL}/{draft['id']}"
        return server.client.put(
            url, json=body(par11, name=name, version=draft["version"]), headers=headers
        ).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda a: edit(*a), [(alice, "Alice"), (bruno, "Bruno")]))
    assert statuses == [200, 409]
    final = server.client.get(f"{URL}/{draft['id']}", headers=alice).json()
    assert final["version"] == draft["version"] + 1
    assert audit_actions(server, draft["id"]) == ["campaign.create", "campaign.update"]

"""Documents search (F2.2–F2.4, F2.7): results equal a brute-force filter and sort of the same data for
random filters and sorts, keyset pages never skip or repeat a row (even while documents arrive), the
caller never sees another agency, wildcard and SQL characters match literally; every sort reads its own
index in order (query plans), the total is counted only when asked; metadata, sha256 and download.
The sort by agency orders by its name then its id; signature states sort in French label order. A search
scoped to an entity (brand_id) lists the caller's agencies of that entity only."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from coffreo_desktop.domain.documents import SIGNATURE_LABELS, DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import Agency, Brand, Company, Document
from coffreo_desktop.server.services import document_search, document_search_sql, search_cursor
from coffreo_desktop.server.services.document_search import CRITERIA, SORTS
from tests.support import ServerHarness

URL = "/api/v1/documents"
TEXT_SORTS = {"doc_type", "title", "last_name", "first_name", "matricule", "client_name"}
TEXT_SORTS |= {"contract_number", "invoice_number", "invoice_state"}
CRITERION_FIELDS = {
    "matricule": "matricule",
    "last_name": "employee_last_name",
    "first_name": "employee_first_name",
    "contract_number": "contract_number",
    "client": "client_name",
    "invoice_number": "invoice_number",
    "title": "title",
}
SORT_FIELDS = {
    "last_name": "employee_last_name",
    "first_name": "employee_first_name",
}
SCOPE = ("PAR11", "NAN", "LYO")


@dataclass(frozen=True)
class Row:
    """One document as read straight from the database, for the brute-force answer."""

    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def db_rows(server: ServerHarness, agency_ids: set[int]) -> list[Row]:
    with server.ctx.db.reader() as s:
        docs = s.execute(
            select(Document, Agency.name)
            .join(Agency, Agency.id == Document.agency_id)
            .where(Document.agency_id.in_(agency_ids), Document.deleted_at.is_(None))
        ).all()
        return [
            Row({"agency_name": name} | {c.key: getattr(d, c.key) for c in Document.__table__.columns})
            for d, name in docs
        ]


def sort_key(row: Row, sort: str) -> Any:
    if sort == "agency":  # what the user sees, the name (code point order), then the agency's id
        return row["agency_name"], row["agency_id"]
    if sort == "signature_state":  # what the user sees, the French label
        return SIGNATURE_LABELS[row["signature_state"]]
    value = row[SORT_FIELDS.get(sort, sort)]
    if sort in TEXT_SORTS:
        return "" if value is None else str(value)
    return value


def brute_force(rows: list[Row], params: dict[str, Any], today: date) -> list[int]:
    kept = []
    since = Period(params.get("period", "all")).since(today)
    for row in rows:
        if params.get("type") and row["doc_type"] not in params["type"]:
            continue
        if params.get("signed") == "yes" and row["signature_state"] is not SignatureState.SIGNED:
            continue
        if params.get("signed") == "no" and row["signature_state"] is not SignatureState.UNSIGNED:
            continue
        if since is not None and row["document_date"] < since:
            continue
        if params.get("value"):
            field = row[CRITERION_FIELDS[params["criterion"]]] or ""
            if params["value"].lower() not in field.lower():
                continue
        if params.get("invoice_state") and row["invoice_state"] != params["invoice_state"]:
            continue
        kept.append(row)
    sort = params.get("sort", "document_date")
    kept.sort(key=lambda r: (sort_key(r, sort), r["id"]), reverse=params.get("order", "desc") == "desc")
    return [r["id"] for r in kept]


def page_through(server: ServerHarness, headers: dict[str, str], params: dict[str, Any]) -> list[int]:
    """Every id of a search, following next_cursor; checks each page's size, and the total: asked for on the
    first page only (the next ones say None), equal to what the pages hold."""
    ids: list[int] = []
    cursor = None
    total = None
    for _ in range(10_000):
        response = server.client.get(
            URL,
            params={**params, "cursor": cursor} if cursor else {**params, "total": "true"},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= params.get("limit", 100)
        if cursor is None:
            total = body["total"]
            assert isinstance(total, int)
        else:
            assert body["total"] is None
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            assert len(ids) == total
            return ids
    raise AssertionError("pagination sans fin")


def other_brand(server: ServerHarness) -> int:
    """LYO moved to a second entity (with its own company): the caller's agencies span two entities.
    Done once per server; the id of the new entity."""
    made = getattr(server, "_other_brand", None)
    if made is None:
        with server.session() as s, s.begin():
            brand = Brand(code="AUTRE", name="Autre marque", created_at=server.clock())
            s.add(brand)
            s.flush()
            company = Company(
                brand_id=brand.id, name="Autre société", siren="999888777", created_at=server.clock()
            )
            s.add(company)
            s.flush()
            lyon = s.get(Agency, server.agency_id("LYO"))
            assert lyon is not None
            lyon.brand_id, lyon.company_id = brand.id, company.id
            made = brand.id
        server._other_brand = made  # type: ignore[attr-defined]
    return made


def demo_brand(server: ServerHarness) -> int:
    with server.ctx.db.reader() as s:
        agency = s.get(Agency, server.agency_id("PAR11"))
        assert agency is not None
        return agency.brand_id


def scoped_caller(server: ServerHarness) -> tuple[dict[str, str], set[int]]:
    """A user with various rights on three agencies of six, LYO in a second entity; made once per server."""
    cached = getattr(server, "_search_caller", None)
    if cached is None:
        other_brand(server)
        server.make_user(
            "recherche@exemple.fr",
            {
                "PAR11": (Right.ADMIN,),
                "NAN": (Right.DIFFUSION,),
                "LYO": (Right.RELEVES_HEURES, Right.ACOMPTES),
            },
        )
        cached = (server.login("recherche@exemple.fr"), {server.agency_id(c) for c in SCOPE})
        server._search_caller = cached  # type: ignore[attr-defined]
    return cached


def today(server: ServerHarness) -> date:
    return server.clock().astimezone(ZoneInfo("Europe/Paris")).date()


def check_same(server: ServerHarness, got: list[int], expected: list[int], sort: str) -> None:
    assert len(got) == len(set(got)), "une ligne répétée"
    assert set(got) == set(expected)
    # PostgreSQL orders text by the database's collation, Python by code point: order checked on SQLite.
    if sort not in TEXT_SORTS or server.ctx.db.url.startswith("sqlite"):
        assert got == expected


searches = st.fixed_dictionaries(
    {
        "type": st.lists(st.sampled_from([t.value for t in DocumentType]), max_size=3, unique=True),
        "signed": st.sampled_from([None, "yes", "no"]),
        "period": st.sampled_from([p.value for p in Period]),
        "criterion": st.sampled_from([None, *CRITERIA]),
        "value": st.sampled_from(["a", "E", "ma", "1", "0", "du", "zz"]),
        "invoice_state": st.sampled_from([None, *(s.value for s in InvoiceState)]),
        "sort": st.sampled_from(list(SORTS)),
        "order": st.sampled_from(["asc", "desc"]),
        "limit": st.sampled_from([7, 23, 500]),
        "scope": st.sampled_from(["all", "agency", "brand", "other_brand"]),
    }
)


def scope_params(server: ServerHarness, scope: str) -> tuple[dict[str, int], set[int]]:
    """The query parameters of a scope of the property test, and the agencies it covers."""
    par11, nan, lyo = (server.agency_id(c) for c in SCOPE)
    if scope == "agency":
        return {"agency_id": nan}, {nan}
    if scope == "brand":  # the demo entity: PAR11 and NAN of the caller (not its other agencies)
        return {"brand_id": demo_brand(server)}, {par11, nan}
    if scope == "other_brand":
        return {"brand_id": other_brand(server)}, {lyo}
    return {}, {par11, nan, lyo}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=searches)
def test_search_equals_a_brute_force_filter_and_sort_of_the_callers_documents(
    server: ServerHarness, params: dict[str, Any]
) -> None:
    headers, _ = scoped_caller(server)
    scope, agencies = scope_params(server, params.pop("scope"))
    params = {k: v for k, v in params.items() if v not in (None, [])} | scope
    if "criterion" not in params:
        params.pop("value")
    got = page_through(server, headers, params)
    check_same(server, got, brute_force(db_rows(server, agencies), params, today(server)), params["sort"])


def test_every_sort_in_both_orders_pages_like_the_brute_force(server: ServerHarness) -> None:
    """Each sortable column, with many ties (types, states, empty names), across small pages."""
    headers, agencies = scoped_caller(server)
    rows = db_rows(server, agencies)
    for sort in SORTS:
        for order in ("asc", "desc"):
            params = {"sort": sort, "order": order, "limit": 9}
            check_same(
                server, page_through(server, headers, params), brute_force(rows, params, today(server)), sort
            )


def test_the_filters_of_the_property_test_select_something(server: ServerHarness) -> None:
    """The demo data exercise the filters: each one keeps some documents and drops others."""
    _, agencies = scoped_caller(server)
    rows = db_rows(server, agencies)
    every = brute_force(rows, {}, today(server))
    assert len(every) >= 20
    for params in (
        {"signed": "yes"},
        {"signed": "no"},
        {"period": "6m"},
        {"type": ["payslip"]},
        {"invoice_state": "validated"},
        {"criterion": "last_name", "value": "a"},
    ):
        assert 0 < len(brute_force(rows, params, today(server))) < len(every), params


def test_pages_neither_skip_nor_repeat_while_documents_arrive(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    params = {"sort": "document_date", "order": "desc", "limit": 5}
    before = brute_force(db_rows(server, agencies), params, today(server))
    seen: list[int] = []
    cursor = None
    added: list[int] = []
    while True:
        query = {**params, "cursor": cursor} if cursor else params
        body = server.client.get(URL, params=query, headers=headers).json()
        page = [item["id"] for item in body["items"]]
        seen += page
        cursor = body["next_cursor"]
        if cursor is None:
            break
        # A colleague deposits documents dated like the page just read: they sort before the cursor.
        newest = body["items"][-1]
        added += add_copies(server, newest["id"], date.fromisoformat(newest["document_date"]), 2)
    assert len(seen) == len(set(seen)), "une ligne répétée"
    assert [i for i in seen if i in set(before)] == before
    assert not set(seen) & set(added), "des documents déjà dépassés sont apparus"
    assert added


def add_copies(server: ServerHarness, source_id: int, when: date, count: int) -> list[int]:
    with server.session() as s, s.begin():
        source = s.get(Document, source_id)
        assert source is not None
        copies = [
            Document(
                agency_id=source.agency_id,
                doc_type=source.doc_type,
                title=f"{source.title} (copie)",
                file_name=source.file_name,
                blob_sha256=source.blob_sha256,
                size=source.size,
                pages=source.pages,
                document_date=when,
                created_at=server.clock(),
                changed_at=server.clock(),
            )
            for _ in range(count)
        ]
        s.add_all(copies)
        s.flush()
        return [c.id for c in copies]


def test_a_user_of_one_agency_never_sees_another_agencys_documents(server: ServerHarness) -> None:
    par11 = server.agency_id("PAR11")
    server.make_user("paris@exemple.fr", {"PAR11": (Right.DIFFUSION,)})
    headers = server.login("paris@exemple.fr")
    ids = page_through(server, headers, {"limit": 50})
    assert ids and set(ids) == {r["id"] for r in db_rows(server, {par11})}
    other = server.client.get(URL, params={"agency_id": server.agency_id("LYO")}, headers=headers)
    assert other.status_code == 403
    lyon_doc = db_rows(server, {server.agency_id("LYO")})[0]["id"]
    assert server.client.get(f"{URL}/{lyon_doc}", headers=headers).status_code == 404
    assert server.client.get(f"{URL}/{lyon_doc}/file", headers=headers).status_code == 404


def test_agency_id_narrows_the_search_to_that_agency(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    nan = server.agency_id("NAN")
    ids = page_through(server, headers, {"agency_id": nan, "limit": 500})
    assert ids and set(ids) == {r["id"] for r in db_rows(server, {nan})}


def test_brand_id_lists_only_the_callers_agencies_of_that_entity(server: ServerHarness) -> None:
    par11, nan = server.agency_id("PAR11"), server.agency_id("NAN")
    brand, other = demo_brand(server), other_brand(server)
    server.make_user("entite@exemple.fr", {"PAR11": (Right.DIFFUSION,), "NAN": (Right.ADMIN,)})
    headers = server.login("entite@exemple.fr")
    ids = page_through(server, headers, {"brand_id": brand, "limit": 50})
    # The entity has other agencies (VIL, ...), the caller sees only two of them.
    assert ids and set(ids) == {r["id"] for r in db_rows(server, {par11, nan})}
    for outside in (other, 999_999):  # an entity of none of the caller's agencies: like an agency outside
        response = server.client.get(URL, params={"brand_id": outside}, headers=headers)
        assert response.status_code == 403, outside
        assert response.headers["content-type"].startswith("application/problem+json")
    both = server.client.get(URL, params={"brand_id": brand, "agency_id": par11}, headers=headers)
    assert both.status_code == 422 and both.json()["code"] == "agency_and_brand"
    assert "entité" in both.json()["detail"]


def test_a_cursor_of_an_entitys_search_continues_that_search_only(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    brand = other_brand(server)  # LYO only: the same agencies as agency_id=LYO, another search all the same
    first = server.client.get(URL, params={"brand_id": brand, "limit": 3}, headers=headers).json()
    assert first["next_cursor"]
    go_on = server.client.get(
        URL, params={"brand_id": brand, "limit": 3, "cursor": first["next_cursor"]}, headers=headers
    )
    assert go_on.status_code == 200
    elsewhere = server.client.get(
        URL,
        params={"agency_id": server.agency_id("LYO"), "limit": 3, "cursor": first["next_cursor"]},
        headers=headers,
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["code"] == "invalid_cursor"


def test_the_api_counts_only_when_asked(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    expected = len(brute_force(db_rows(server, agencies), {}, today(server)))
    plain = server.client.get(URL, params={"limit": 5}, headers=headers).json()
    assert plain["total"] is None and len(plain["items"]) == 5
    asked = server.client.get(URL, params={"limit": 5, "total": "true"}, headers=headers).json()
    assert asked["total"] == expected
    assert asked["items"] == plain["items"]


def test_wildcards_and_sql_characters_in_a_value_match_literally(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    source = db_rows(server, {server.agency_id("PAR11")})[0]["id"]
    tricky = add_copies(server, source, date(2026, 1, 5), 2)
    decoy = add_copies(server, source, date(2026, 1, 5), 1)
    with server.session() as s, s.begin():
        s.get(Document, tricky[0]).title = 'Prime 100% net_brut \\ l\'été "spécial"; -- fin'  # type: ignore[union-attr]
        s.get(Document, tricky[1]).title = "Remise 5%_x"  # type: ignore[union-attr]
        s.get(Document, decoy[0]).title = "Prime 1000 netXbrut XX"  # type: ignore[union-attr]
    rows = db_rows(server, agencies)
    for value in ["%", "_", "0% n", "t_b", "\\", "'", '"', ";", "--", "%_", "' OR '1'='1", "%'; --"]:
        params = {"criterion": "title", "value": value, "limit": 500}
        got = page_through(server, headers, params)
        expected = brute_force(rows, params, today(server))
        assert set(got) == set(expected), value
        assert decoy[0] not in got, value
    assert set(page_through(server, headers, {"criterion": "title", "value": "%_"})) == {tricky[1]}


def test_an_unknown_criterion_is_refused_in_french(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    response = server.client.get(URL, params={"criterion": "salaire", "value": "x"}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "unknown_criterion"
    assert "salaire" in body["detail"] and "matricule" in body["detail"] and "Critère" in body["detail"]


def test_a_tampered_or_foreign_cursor_is_refused(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    first = server.client.get(URL, params={"limit": 3, "sort": "title"}, headers=headers).json()
    cursor = first["next_cursor"]
    assert cursor
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["i"] = "1 OR 1=1"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    for bad, params in [
        ("pas-un-curseur!", {"sort": "title"}),
        (forged, {"sort": "title"}),
        (cursor, {"sort": "size"}),  # another sort
        (cursor, {"sort": "title", "type": "invoice"}),  # other filters
    ]:
        response = server.client.get(URL, params={**params, "limit": 3, "cursor": bad}, headers=headers)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid_cursor"


def test_invoices_filter_on_their_state(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    rows = db_rows(server, agencies)
    for state in InvoiceState:
        params = {"type": ["invoice"], "invoice_state": state.value, "limit": 500, "total": "true"}
        body = server.client.get(URL, params=params, headers=headers).json()
        assert {i["invoice_state"] for i in body["items"]} <= {state.value}
        assert body["total"] == len(brute_force(rows, params, today(server)))


def test_the_period_counts_from_the_server_clock(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    recent = server.client.get(
        URL, params={"period": "7d", "limit": 500, "total": "true"}, headers=headers
    ).json()
    since = today(server) - timedelta(days=7)
    assert all(date.fromisoformat(i["document_date"]) >= since for i in recent["items"])
    server.clock.advance(days=400)
    later = server.client.get(
        URL,
        params={"period": "1y", "limit": 500, "total": "true"},
        headers=server.login("recherche@exemple.fr"),
    ).json()
    assert later["total"] == len(brute_force(db_rows(server, agencies), {"period": "1y"}, today(server)))
    assert later["total"] < recent["total"] or recent["total"] == 0


def test_metadata_and_file_of_a_visible_document(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    row = db_rows(server, agencies)[0]
    meta = server.client.get(f"{URL}/{row['id']}", headers=headers)
    assert meta.status_code == 200
    assert meta.json()["title"] == row["title"] and meta.json()["agency_name"]
    response = server.client.get(f"{URL}/{row['id']}/file", headers=headers)
    assert response.status_code == 200
    assert response.content == server.ctx.blobs.read_verified(row["blob_sha256"])
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["etag"] == f'"{row["blob_sha256"]}"'
    assert "attachment" in response.headers["content-disposition"]
    again = server.client.get(
        f"{URL}/{row['id']}/file", headers={**headers, "If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_a_corrupted_file_is_never_served(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    row = db_rows(server, agencies)[0]
    path = server.ctx.blobs.path(row["blob_sha256"])
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    response = server.client.get(f"{URL}/{row['id']}/file", headers=headers)
    assert response.status_code == 500
    assert response.json()["code"] == "blob_corrupted"
    assert b"%PDF" not in response.content


def test_an_unknown_document_is_not_found(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    response = server.client.get(f"{URL}/99999999", headers=headers)
    assert response.status_code == 404


def test_search_items_carry_every_column_of_the_list(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    item = server.client.get(URL, params={"limit": 1}, headers=headers).json()["items"][0]
    assert set(item) == {
        "id",
        "agency_id",
        "agency_name",
        "doc_type",
        "title",
        "file_name",
        "size",
        "pages",
        "document_date",
        "employee_first_name",
        "employee_last_name",
        "matricule",
        "client_name",
        "contract_number",
        "invoice_number",
        "signature_state",
        "signed_at",
        "invoice_state",
        "can_delete",
        "created_at",
        "sha256",
    }
    assert datetime.fromisoformat(item["created_at"]).tzinfo is not None


def test_each_item_carries_the_sha256_of_its_file(server: ServerHarness) -> None:
    headers, agencies = scoped_caller(server)
    stored = {r["id"]: r["blob_sha256"] for r in db_rows(server, agencies)}
    items = server.client.get(URL, params={"limit": 50}, headers=headers).json()["items"]
    assert items and all(item["sha256"] == stored[item["id"]] for item in items)
    one = server.client.get(f"{URL}/{items[0]['id']}", headers=headers).json()
    assert one["sha256"] == stored[items[0]["id"]]
    assert hashlib.sha256(server.ctx.blobs.read_verified(one["sha256"])).hexdigest() == one["sha256"]


def test_a_scope_of_more_agencies_than_one_merge_holds_pages_like_the_brute_force(
    server: ServerHarness, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Agencies beyond one UNION ALL are merged by nested groups (SQLite caps a compound SELECT)."""
    monkeypatch.setattr(search_cursor, "MERGE_GROUP", 2)
    document_search_sql.page_statement.cache_clear()  # statements are built once per shape: build anew
    request.addfinalizer(document_search_sql.page_statement.cache_clear)
    headers, agencies = scoped_caller(server)
    rows = db_rows(server, agencies)
    for sort in ("document_date", "last_name", "invoice_state", "agency"):
        for order in ("asc", "desc"):
            params = {"sort": sort, "order": order, "limit": 11, "type": ["payslip", "invoice"]}
            check_same(
                server, page_through(server, headers, params), brute_force(rows, params, today(server)), sort
            )


def test_the_total_is_counted_on_the_first_page_only_unless_asked(server: ServerHarness) -> None:
    _, agencies = scoped_caller(server)
    expected = len(brute_force(db_rows(server, agencies), {"type": ["payslip"]}, today(server)))
    query = document_search.SearchQuery(
        types=(DocumentType.PAYSLIP,), limit=5, agency_ids=frozenset(agencies)
    )
    rights = RightSet.of([], dict.fromkeys(agencies, 0))
    with server.ctx.db.reader() as s:
        first = document_search.search(s, query, today(server), rights)
        assert first.total == expected and first.next_cursor
        assert (
            document_search.search(s, replace(query, with_total=False), today(server), rights).total is None
        )
        second = replace(query, cursor=first.next_cursor)
        assert document_search.search(s, second, today(server), rights).total is None
        asked = document_search.search(s, replace(second, with_total=True), today(server), rights)
        assert asked.total == expected
        assert document_search.count(s, second, today(server)) == expected
        assert (
            document_search.search(s, replace(query, agency_ids=frozenset()), today(server), rights).total
            == 0
        )


def search_statements(server: ServerHarness, headers: dict[str, str], params: dict[str, Any]) -> list[Any]:
    """The SQL (and parameters) of the page and of the count that one search runs."""
    captured: list[Any] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "AS page" in statement or "count(*)" in statement:
            captured.append((statement, parameters))

    event.listen(server.ctx.db.engine, "before_cursor_execute", grab)
    try:
        assert server.client.get(URL, params=params, headers=headers).status_code == 200
    finally:
        event.remove(server.ctx.db.engine, "before_cursor_execute", grab)
    return captured


def sqlite_plan(server: ServerHarness, statement: str, parameters: Any) -> list[str]:
    with server.ctx.db.engine.connect() as conn:
        return [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def postgres_scans(server: ServerHarness, statement: str, parameters: Any) -> list[tuple[str, str, str]]:
    """(node type, index, parent node type) of every read of the documents table in the plan."""
    with server.ctx.db.engine.connect() as conn:
        # The demo tables are tiny: with these off, PostgreSQL shows the plan it takes on a big table (as on
        # 1,000,000 documents), or a sort if there were no other way.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
    found: list[tuple[str, str, str]] = []

    def walk(node: dict[str, Any], parent: str) -> None:
        if node.get("Relation Name") == "documents":
            found.append((node["Node Type"], node.get("Index Name", ""), parent))
        for child in node.get("Plans", []):
            walk(child, node["Node Type"])

    walk(plan[0]["Plan"], "")
    return found


def test_every_sort_reads_its_own_index_in_order_never_sorting_everything(
    server: ServerHarness,
) -> None:
    """Each agency's rows come from a bounded range of the sort's index, first page and after a cursor."""
    headers, _ = scoped_caller(server)
    for sort in SORTS:
        index = f"ix_documents_search_{sort}"
        params: dict[str, Any] = {"sort": sort, "order": "desc", "limit": 3, "type": ["payslip", "invoice"]}
        cursor = server.client.get(URL, params=params, headers=headers).json()["next_cursor"]
        for page_params in (params, {**params, "cursor": cursor}):
            statements = search_statements(server, headers, page_params)
            page = next(s for s in statements if "AS page" in s[0])
            if server.ctx.db.is_sqlite:
                plan = sqlite_plan(server, *page)
                reads = [line for line in plan if line.startswith(("SEARCH documents", "SCAN documents"))]
                assert {r for r in reads if "PRIMARY KEY" not in r} == {
                    r for r in reads if r.startswith(f"SEARCH documents USING INDEX {index} (agency_id=?")
                }, plan
                assert any(index in r for r in reads)
                # A temporary B-tree right after an index read would sort an agency's whole range.
                for line, following in itertools.pairwise(plan):
                    assert not (index in line and "TEMP B-TREE" in following), plan
            else:
                scans = postgres_scans(server, *page)
                ranges = [s for s in scans if s[1] != "pk_documents"]
                assert ranges and all(
                    kind in ("Index Scan", "Index Only Scan") and name == index and parent == "Limit"
                    for kind, name, parent in ranges
                ), scans
    if server.ctx.db.is_sqlite:
        for params, plan in (
            ({"period": "1y"}, "INDEX ix_documents_search_document_date (agency_id=? AND document_date>?)"),
            ({"type": ["payslip"]}, "INDEX ix_documents_search_doc_type (agency_id=? AND doc_type=?)"),
        ):
            asked = {**params, "total": "true"}
            counting = next(s for s in search_statements(server, headers, asked) if "count(*)" in s[0])
            assert sqlite_plan(server, *counting) == [f"SEARCH documents USING {plan}"]


def test_the_signed_filter_seeks_its_state_in_the_signature_sorts_index(server: ServerHarness) -> None:
    """Sorted by signature, "signés" reads from the signed entries on, not through every other state's, and
    sorts nothing: on the first page and after a cursor."""
    headers, _ = scoped_caller(server)
    for signed, order in itertools.product(("yes", "no"), ("asc", "desc")):
        params: dict[str, Any] = {"sort": "signature_state", "order": order, "signed": signed, "limit": 3}
        cursor = server.client.get(URL, params=params, headers=headers).json()["next_cursor"]
        assert cursor
        for page_params in (params, {**params, "cursor": cursor}):
            page = next(s for s in search_statements(server, headers, page_params) if "AS page" in s[0])
            if server.ctx.db.is_sqlite:
                plan = sqlite_plan(server, *page)
                reads = [line for line in plan if "ix_documents_search" in line]
                assert reads and all(
                    "ix_documents_search_signature_state (agency_id=? AND <expr>=?" in line for line in reads
                ), plan
                for line, following in itertools.pairwise(plan):
                    assert not ("ix_documents_search" in line and "TEMP B-TREE" in following), plan
            else:
                scans = postgres_scans(server, *page)
                ranges = [scan for scan in scans if scan[1] != "pk_documents"]
                assert ranges and all(
                    name == "ix_documents_search_signature_state" and parent == "Limit"
                    for _, name, parent in ranges
                ), scans
                with server.ctx.db.engine.connect() as conn:
                    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                        conn.exec_driver_sql(f"SET LOCAL {setting} = off")
                    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {page[0]}", page[1]).scalar_one()
                conditions = [c for c in _index_conditions(plan[0]["Plan"]) if "signature_state" in c[0]]
                assert conditions and all("replace(" in condition for _, condition in conditions), conditions


def _index_conditions(node: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(node.get("Index Name", ""), node["Index Cond"])] if "Index Cond" in node else []
    return found + [c for child in node.get("Plans", []) for c in _index_conditions(child)]


def rename_agency(server: ServerHarness, code: str, name: str) -> None:
    with server.session() as s, s.begin():
        agency = s.get(Agency, server.agency_id(code))
        assert agency is not None
        agency.name = name


def test_the_agency_sort_orders_by_name_then_agency_id_across_pages(server: ServerHarness) -> None:
    """Equal names are ordered by agency id; small pages cross from one agency to the next."""
    headers, agencies = scoped_caller(server)
    with server.ctx.db.reader() as s:
        lyon = s.get(Agency, server.agency_id("LYO"))
        assert lyon is not None
        rename_agency(server, "NAN", lyon.name)  # two agencies of one name
    rows = db_rows(server, agencies)
    named = {r["agency_id"]: r["agency_name"] for r in rows}
    assert len(set(named.values())) == 2 and len(named) == 3
    by_name = sorted(named, key=lambda agency: (named[agency], agency))
    assert by_name != sorted(named), "the names order the agencies otherwise than their ids"
    ids_order = {r["id"]: r["agency_id"] for r in rows}
    for order in ("asc", "desc"):
        params = {"sort": "agency", "order": order, "limit": 7, "type": ["payslip", "mission_contract"]}
        got = page_through(server, headers, params)
        check_same(server, got, brute_force(rows, params, today(server)), "agency")
        seen = list(dict.fromkeys(ids_order[i] for i in got))
        assert seen == (by_name if order == "asc" else by_name[::-1])


def test_signature_states_sort_in_the_order_of_their_french_labels(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sort": "signature_state", "order": "asc", "limit": 200}
        body = server.client.get(
            URL, params={**params, "cursor": cursor} if cursor else params, headers=headers
        ).json()
        items += body["items"]
        if (cursor := body["next_cursor"]) is None:
            break
    states = list(dict.fromkeys(SignatureState(item["signature_state"]) for item in items))
    assert [SIGNATURE_LABELS[state] for state in states] == ["Non signé", "Sans signature", "Signé"]


@pytest.mark.parametrize("new_name", ["Aaa première", "Zzz dernière"])
def test_an_agency_renamed_while_read_goes_on_after_the_cursor_and_loses_no_row(
    server: ServerHarness, new_name: str
) -> None:
    """The agency being read, renamed between two pages, takes its new place and goes on after the cursor.
    Renamed to sort later, its first rows come again once the pages reach its new place, as any row whose
    sort key changes while pages are read; none is ever lost."""
    headers, agencies = scoped_caller(server)
    params = {"sort": "agency", "order": "asc", "limit": 10}
    first = server.client.get(URL, params=params, headers=headers).json()
    seen = [item["id"] for item in first["items"]]
    reading = first["items"][-1]["agency_id"]
    with server.session() as s, s.begin():
        agency = s.get(Agency, reading)
        assert agency is not None
        agency.name = new_name
    cursor = first["next_cursor"]
    pages = []
    while cursor:
        body = server.client.get(URL, params={**params, "cursor": cursor}, headers=headers).json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
    assert not set(pages[0]) & set(seen)
    seen += [i for page in pages for i in page]
    assert set(seen) == {r["id"] for r in db_rows(server, agencies)}
    if new_name.startswith("Aaa"):
        assert len(seen) == len(set(seen)), "une ligne répétée"


def test_an_agency_cursor_needs_a_name_and_an_agency_id(server: ServerHarness) -> None:
    headers, _ = scoped_caller(server)
    params = {"sort": "agency", "limit": 3}
    cursor = server.client.get(URL, params=params, headers=headers).json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert isinstance(payload["k"], list)
    for forged_key in ("Paris 11e", ["Paris 11e"], ["Paris 11e", "3"], [3, "Paris 11e"]):
        forged = base64.urlsafe_b64encode(json.dumps({**payload, "k": forged_key}).encode()).decode()
        response = server.client.get(URL, params={**params, "cursor": forged}, headers=headers)
        assert response.status_code == 422, forged_key
        assert response.json()["code"] == "invalid_cursor"

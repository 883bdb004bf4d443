"""GET /api/v1/trust/certificates: any logged-in staff member gets the certificates under which this
server seals, and a document sealed for a demo agency verifies as valid with exactly those roots."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from coffreo_desktop.client.signatures import CheckState, check_signatures
from coffreo_desktop.server.errors import NotFound
from coffreo_desktop.server.pdf.certificates import AUTHORITY_NAME, entity_of
from coffreo_desktop.server.pdf.entity_keys import seal_keys
from coffreo_desktop.server.pdf.seal import seal_protected
from tests.pdf_signing import make_pdf
from tests.support import ServerHarness

URL = "/api/v1/trust/certificates"


def test_any_staff_member_gets_the_installation_authority(server: ServerHarness) -> None:
    server.make_user("sans.droit@exemple.fr", {})
    headers = server.login("sans.droit@exemple.fr")

    response = server.client.get(URL, headers=headers)
    assert response.status_code == 200, response.text
    (item,) = response.json()["certificates"]
    certificate = x509.load_pem_x509_certificate(item["pem"].encode())
    assert AUTHORITY_NAME in item["subject"]
    assert item["sha256"] == hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    assert item["not_after"].startswith(str(certificate.not_valid_after_utc.year))
    # Made once: the next call (and a restarted server) answers the same authority.
    assert server.client.get(URL, headers=headers).json() == response.json()


def test_the_certificates_are_refused_without_a_staff_session(server: ServerHarness) -> None:
    assert server.client.get(URL).status_code == 401
    key = server.integration_key(brand_id=1)
    assert server.client.get(URL, headers=key).status_code == 403


def test_a_document_sealed_for_a_demo_agency_verifies_with_the_served_roots(server: ServerHarness) -> None:
    server.make_user("lecteur@exemple.fr", {})
    roots = [
        c["pem"].encode()
        for c in server.client.get(URL, headers=server.login("lecteur@exemple.fr")).json()["certificates"]
    ]
    with server.ctx.db.reader() as session:
        entity = entity_of(session, server.agency_id("PAR11"))

    sealed = seal_protected(make_pdf(2), entity, seal_keys(server.ctx.settings))
    report = check_signatures(sealed, roots)
    assert report.state is CheckState.VALID, report.details
    assert report.signatures[0].signer_name == entity.agency_name
    assert report.signatures[0].organisation == entity.company_name


def test_an_unknown_agency_has_no_seal(server: ServerHarness) -> None:
    with server.ctx.db.reader() as session, pytest.raises(NotFound):
        entity_of(session, 987654)

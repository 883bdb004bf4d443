"""Home tiles follow rights and services (F1.2); document types, states and deletion rule (F2)."""

from __future__ import annotations

import pytest

from coffreo_desktop.domain.documents import (
    DocumentType,
    InvoiceState,
    RecipientKind,
    can_delete,
    invoice_state,
)
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import AgencyAccess, Feature, Service, allowed_features

EVERY_SERVICE = frozenset(Service)


def access(*rights: Right, services: frozenset[Service] = EVERY_SERVICE) -> AgencyAccess:
    return AgencyAccess(frozenset(rights), services)


def test_administrator_sees_every_tile_in_order() -> None:
    assert allowed_features([access(*Right)]) == tuple(Feature)


def test_advances_only_user_sees_documents_and_advances() -> None:
    assert allowed_features([access(Right.ACOMPTES)]) == (Feature.DOCUMENTS, Feature.ADVANCES)


def test_any_diffusion_libre_right_opens_diffusion_libre() -> None:
    for right in (Right.DIFFUSION_LIBRE, Right.DIFFUSION_LIBRE_PROTEGE, Right.DIFFUSION_LIBRE_SIGNE):
        assert Feature.DIFFUSION_LIBRE in allowed_features([access(right)])


def test_a_service_switched_off_hides_its_tile_even_with_the_right() -> None:
    services = EVERY_SERVICE - {Service.ACOMPTES}
    assert Feature.ADVANCES not in allowed_features([access(Right.ACOMPTES, services=services)])


def test_no_right_means_no_tile() -> None:
    assert allowed_features([access()]) == ()
    assert allowed_features([]) == ()


def test_tiles_union_over_agencies() -> None:
    found = allowed_features([access(Right.ACOMPTES), access(Right.ADMIN)])
    assert set(found) == {
        Feature.DOCUMENTS,
        Feature.ADVANCES,
        Feature.CLIENTS,
        Feature.EMPLOYEES,
        Feature.RIGHTS,
    }


def test_feature_labels_are_the_product_words() -> None:
    assert Feature.DOCUMENTS.label == "Recherche de documents"
    assert Feature.CAMPAIGNS.label == "Campagnes de diffusion"
    assert Feature.RIGHTS.label == "Droits et accès"


def test_client_documents_go_to_clients() -> None:
    assert DocumentType.INVOICE.recipient is RecipientKind.CLIENT
    assert DocumentType.PROVISION_CONTRACT.recipient is RecipientKind.CLIENT
    assert DocumentType.PAYSLIP.recipient is RecipientKind.EMPLOYEE


@pytest.mark.parametrize(
    ("downloaded", "validated", "state"),
    [
        (False, False, InvoiceState.NOT_DOWNLOADED),
        (True, False, InvoiceState.DOWNLOADED),
        (True, True, InvoiceState.VALIDATED),
        (False, True, InvoiceState.VALIDATED),
    ],
)
def test_invoice_state(downloaded: bool, validated: bool, state: InvoiceState) -> None:
    assert invoice_state(downloaded, validated) is state


def test_invoice_labels_are_french() -> None:
    assert [s.label for s in InvoiceState] == ["non téléchargée", "téléchargée", "validée"]


def test_only_an_unsigned_contract_can_be_deleted() -> None:
    assert can_delete(DocumentType.MISSION_CONTRACT, requires_signature=True, signed=False)
    assert can_delete(DocumentType.PROVISION_CONTRACT, requires_signature=True, signed=False)
    assert not can_delete(DocumentType.MISSION_CONTRACT, requires_signature=True, signed=True)
    assert not can_delete(DocumentType.PAYSLIP, requires_signature=False, signed=False)
    assert not can_delete(DocumentType.INVOICE, requires_signature=False, signed=False)

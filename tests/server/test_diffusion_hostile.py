"""The hostile-file corpus of issue 4 ("Bad input") sent to POST /api/v1/diffusion/documents: the server,
the authority, refuses each file with the same code and French reason as the desktop's check, and
stores nothing (no document, no delivery, no mail, no audit event, no blob, no upload left behind)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from coffreo_desktop.client.diffusion_plan import check_file
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import Document
from tests.pdf_corpus import HOSTILE, blank_pdf, write_hostile
from tests.server.test_diffusion_api import DOCS, _employee, _send, _snapshot, _staff
from tests.support import ServerHarness

#: Names the upload layer cleans instead of refusing (api/uploads.py safe_file_name: last path
#: component, control characters removed) before the PDF checks see them.
CLEANED_NAMES = {"control_in_name"}
REFUSED = sorted(set(HOSTILE) - CLEANED_NAMES)


def test_every_hostile_file_is_refused_with_its_code_and_stores_nothing(server: ServerHarness) -> None:
    employee = _employee(server, "HOSTILE-1", activated=False)  # a first document would invite them
    headers = _staff(
        server, Right.DIFFUSION_LIBRE, Right.DIFFUSION_LIBRE_PROTEGE, Right.DIFFUSION_LIBRE_SIGNE
    )
    before = _snapshot(server)
    for case in REFUSED:
        hostile = HOSTILE[case]
        response = _send(server, headers, employee, "protected", data=hostile.make(), file_name=hostile.name)

        expected = 413 if hostile.code == "too_large" else 422
        assert response.status_code == expected, f"{case}: {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["code"] == hostile.code, case
        assert hostile.reason in problem["detail"], case
        assert _snapshot(server) == before, f"{case} left something behind"
        assert not list((server.settings.data_dir / "uploads").glob("*")), case

    # The same API, the same sender: a sound file goes through, so the refusals above were the files'.
    accepted = _send(server, headers, employee, "simple", data=blank_pdf(text="sain"), file_name="sain.pdf")
    assert accepted.status_code == 201, accepted.text
    assert _snapshot(server).documents == before.documents + 1


@pytest.mark.parametrize("case", REFUSED)
def test_the_server_and_the_desktop_refuse_with_the_same_code_and_detail(tmp_path: Path, case: str) -> None:
    # One implementation (domain.pdf_checks) behind both: the desktop says before sending what the
    # server would answer. The HTTP round trip is the test above; this one compares the texts.
    from coffreo_desktop.server.pdf import PdfRefusal, check_pdf

    path = write_hostile(tmp_path, case)
    desktop = check_file(path)
    with pytest.raises(PdfRefusal) as server_side:
        check_pdf(path, file_name=path.name)
    assert (server_side.value.code, server_side.value.detail) == (desktop.code, desktop.refusal)


def test_a_name_with_control_characters_or_folders_is_stored_cleaned(server: ServerHarness) -> None:
    # httpx would escape the control character (%07): the multipart body is written by hand, as a
    # hostile client would send it.
    employee = _employee(server, "HOSTILE-2", activated=True)
    headers = _staff(server, Right.DIFFUSION_LIBRE)
    boundary = uuid.uuid4().hex
    fields = {"employee_id": str(employee), "protection": "simple", "title": "Nom nettoyé"}
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary.encode(), name.encode(), value.encode())
        for name, value in fields.items()
    )
    body += (
        b'--%s\r\nContent-Disposition: form-data; name="file"; filename="../../bul\x07letin.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n--%s--\r\n"
        % (boundary.encode(), blank_pdf(text="nom"), boundary.encode())
    )
    response = server.client.post(
        DOCS,
        params={"agency_id": server.agency_id("PAR11")},
        headers={
            **headers,
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        content=body,
    )
    assert response.status_code == 201, response.text
    with server.session() as s:
        stored = s.scalars(select(Document.file_name).where(Document.id == response.json()["document"]["id"]))
        assert stored.one() == "bulletin.pdf"

"""Server-side exports (F2.8): asked through the API, written by the export job run explicitly, announced
by a French mail whose link downloads a ZIP (or CSV) equal to the search; the link expires after 7 days;
only one's own jobs are visible; rights are read again when the job runs; a full disk leaves nothing; two
processes never run the same export."""

from __future__ import annotations

import csv
import errno
import io
import re
import threading
import time
import zipfile
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import delete, select, update

from coffreo_desktop.domain.exports import (
    CSV_DELIMITER,
    CSV_ENCODING,
    CSV_LINE_END,
    ZIP_CSV_NAME,
    csv_header,
    csv_row,
    zip_member_name,
)
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import Agency, AuditEvent, ExportJob, OutboxMail, RightGrant
from coffreo_desktop.server.jobs import JobRunner, export_jobs, start_jobs
from coffreo_desktop.server.services import export_runner, exports
from tests.support import ServerHarness

URL = "/api/v1/exports"
SEARCH = "/api/v1/documents"


def staff(server: ServerHarness, email: str, codes: tuple[str, ...] = ("PAR11", "NAN")) -> dict[str, str]:
    server.make_user(email, {code: (Right.DIFFUSION,) for code in codes})
    return server.login(email)


def run_exports(server: ServerHarness) -> list[str]:
    return JobRunner(server.ctx, export_jobs(server.ctx)).run_due(force=True)


def search_all(
    server: ServerHarness, headers: dict[str, str], params: dict[str, Any]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
        body = server.client.get(SEARCH, params=query, headers=headers).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def expected_csv(items: list[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)
    writer.writerow(csv_header())
    writer.writerows(csv_row(item) for item in items)
    return text.getvalue().encode(CSV_ENCODING)


def mail_link(server: ServerHarness, to: str) -> tuple[OutboxMail, str]:
    with server.ctx.db.reader() as s:
        mail = s.scalars(
            select(OutboxMail).where(OutboxMail.to_addr == to, OutboxMail.kind == "export_ready")
        ).one()
    found = re.search(r"(https?://\S+/api/v1/exports/\d+/file\?token=\S+)", mail.body_text)
    assert found, mail.body_text
    link = found.group(1)
    assert link.startswith(server.settings.links_base)
    return mail, link.removeprefix(server.settings.links_base)


def job_state(server: ServerHarness, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    response = server.client.get(f"{URL}/{job_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_job_mails_a_link_to_a_zip_equal_to_the_search_with_identical_pdfs(server: ServerHarness) -> None:
    headers = staff(server, "export.zip@exemple.fr")
    filters = {"types": ["payslip", "invoice", "mission_contract"], "sort": "title", "order": "asc"}
    created = server.client.post(URL, json={**filters, "include_pdfs": True}, headers=headers)
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["state"] == "queued" and job["include_pdfs"] is True

    assert "exports.run" in run_exports(server)

    state = job_state(server, headers, job["id"])
    items = search_all(server, headers, {"type": filters["types"], "sort": "title", "order": "asc"})
    assert len(items) > 10
    assert state["state"] == "done" and state["error"] is None
    assert (state["rows"], state["pdfs"], state["total"]) == (len(items), len(items), len(items))
    mail, path = mail_link(server, "export.zip@exemple.fr")
    assert mail.subject == "Votre export de documents est prêt"
    assert f"{len(items)} documents" in mail.body_text and "7 jours" in mail.body_text
    response = server.client.get(path)  # no session: the link's token is the key
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert state["size"] == len(response.content)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read(ZIP_CSV_NAME) == expected_csv(items)
        names = [n for n in archive.namelist() if n != ZIP_CSV_NAME]
        assert names == [zip_member_name(item) for item in items]
        for item in items[:15]:
            original = server.client.get(f"{SEARCH}/{item['id']}/file", headers=headers).content
            assert archive.read(zip_member_name(item)) == original
            assert archive.getinfo(zip_member_name(item)).compress_type == zipfile.ZIP_STORED
    with server.ctx.db.reader() as s:
        actions = set(
            s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.target_type == "export_job", AuditEvent.target_id == str(job["id"])
                )
            )
        )
    assert actions == {"export.requested", "export.completed"}


def test_a_csv_only_export_of_one_agency_equals_its_search(server: ServerHarness) -> None:
    headers = staff(server, "export.csv@exemple.fr")
    nan = server.agency_id("NAN")
    body = {"agency_ids": [nan], "period": "all", "sort": "last_name", "order": "asc", "include_pdfs": False}
    job = server.client.post(URL, json=body, headers=headers).json()
    run_exports(server)
    _, path = mail_link(server, "export.csv@exemple.fr")
    response = server.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f"export-documents-{job['id']}.csv" in response.headers["content-disposition"]
    items = search_all(
        server, headers, {"agency_id": nan, "period": "all", "sort": "last_name", "order": "asc"}
    )
    assert items and response.content == expected_csv(items)


def test_the_link_expires_after_seven_days_and_the_file_is_then_removed(server: ServerHarness) -> None:
    headers = staff(server, "export.expire@exemple.fr")
    job = server.client.post(URL, json={"types": ["invoice"]}, headers=headers).json()
    run_exports(server)
    _, path = mail_link(server, "export.expire@exemple.fr")
    wrong = re.sub(r"token=.*", "token=exp_pas-le-bon-jeton-du-tout", path)
    assert server.client.get(wrong).status_code == 404
    server.clock.advance(days=7, seconds=-1)
    assert server.client.get(path).status_code == 200
    server.clock.advance(seconds=1)
    expired = server.client.get(path)
    assert expired.status_code == 410
    assert expired.json()["code"] == "export_link_expired" and "expiré" in expired.json()["detail"]
    assert export_runner.purge_expired(server.ctx, server.clock()) == 1
    assert not list(exports.folder(server.settings).iterdir())
    relogged = server.login("export.expire@exemple.fr")  # the access token expired meanwhile
    assert job_state(server, relogged, job["id"])["state"] == "done"


def test_someone_elses_export_is_not_found_and_not_listed(server: ServerHarness) -> None:
    mine = staff(server, "export.moi@exemple.fr")
    theirs = staff(server, "export.collegue@exemple.fr")
    job = server.client.post(URL, json={}, headers=mine).json()
    assert server.client.get(f"{URL}/{job['id']}", headers=theirs).status_code == 404
    assert server.client.get(URL, headers=theirs).json() == []
    assert [j["id"] for j in server.client.get(URL, headers=mine).json()] == [job["id"]]


def test_an_agency_outside_the_scope_or_an_unknown_criterion_is_refused(server: ServerHarness) -> None:
    headers = staff(server, "export.refus@exemple.fr")
    lyon = server.agency_id("LYO")
    outside = server.client.post(URL, json={"agency_ids": [lyon]}, headers=headers)
    assert outside.status_code == 403 and "accès" in outside.json()["detail"]
    unknown = server.client.post(URL, json={"criterion": "salaire", "value": "x"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_criterion"
    typo = server.client.post(URL, json={"include_pdf": True}, headers=headers)
    assert typo.status_code == 422
    for _ in range(exports.MAX_ACTIVE):
        assert server.client.post(URL, json={}, headers=headers).status_code == 202
    too_many = server.client.post(URL, json={}, headers=headers)
    assert too_many.status_code == 409 and too_many.json()["code"] == "too_many_exports"


def revoke(server: ServerHarness, email_code: tuple[int, str]) -> None:
    user_id, code = email_code
    with server.session() as s, s.begin():
        agency = s.scalars(select(Agency.id).where(Agency.code == code)).one()
        s.execute(delete(RightGrant).where(RightGrant.user_id == user_id, RightGrant.agency_id == agency))


def test_a_right_removed_before_the_job_runs_narrows_the_export(server: ServerHarness) -> None:
    user_id = server.make_user("export.retrait@exemple.fr", {"PAR11": (Right.ADMIN,), "NAN": (Right.ADMIN,)})
    headers = server.login("export.retrait@exemple.fr")
    server.client.post(URL, json={"types": ["payslip"]}, headers=headers)
    revoke(server, (user_id, "NAN"))
    run_exports(server)
    _, path = mail_link(server, "export.retrait@exemple.fr")
    par11 = server.agency_id("PAR11")
    items = search_all(server, headers, {"agency_id": par11, "type": ["payslip"]})
    assert items and server.client.get(path).content == expected_csv(items)


def test_an_export_whose_every_agency_was_withdrawn_fails_in_french(server: ServerHarness) -> None:
    user_id = server.make_user("export.plus@exemple.fr", {"PAR11": (Right.ADMIN,)})
    headers = server.login("export.plus@exemple.fr")
    job = server.client.post(URL, json={}, headers=headers).json()
    revoke(server, (user_id, "PAR11"))
    run_exports(server)
    state = job_state(server, headers, job["id"])
    assert state["state"] == "failed" and state["error"] == export_runner.NO_SCOPE
    assert not exports.folder(server.settings).exists() or not list(exports.folder(server.settings).iterdir())


class FullDisk(io.RawIOBase):
    """A file that accepts ``room`` bytes, then fails as a full disk does."""

    def __init__(self, path: Path, room: int) -> None:
        self.real = path.open("wb")
        self.room = room

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.real.seek(offset, whence)

    def tell(self) -> int:
        return self.real.tell()

    def write(self, data: Any) -> int:
        if self.real.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real.write(data)

    def close(self) -> None:
        self.real.close()
        super().close()


def test_a_full_disk_fails_the_job_and_leaves_no_partial_file(server: ServerHarness) -> None:
    headers = staff(server, "export.plein@exemple.fr")
    job = server.client.post(URL, json={"include_pdfs": True}, headers=headers).json()

    def opener(path: Path) -> IO[bytes]:
        return FullDisk(path, 20_000)  # type: ignore[return-value]

    assert export_runner.run_next(server.ctx, opener=opener) == job["id"]

    state = job_state(server, headers, job["id"])
    assert state["state"] == "failed" and "Espace disque insuffisant" in state["error"]
    assert list(exports.folder(server.settings).iterdir()) == []
    with server.ctx.db.reader() as s:
        assert s.scalars(select(OutboxMail).where(OutboxMail.kind == "export_ready")).first() is None


def test_two_processes_never_run_the_same_export(server: ServerHarness) -> None:
    headers = staff(server, "export.double@exemple.fr")
    job = server.client.post(URL, json={"types": ["invoice"]}, headers=headers).json()
    contexts = [AppContext.build(server.settings) for _ in range(2)]
    for ctx in contexts:
        ctx.clock = server.clock
    start = threading.Barrier(2)
    ran: list[int | None] = []

    def go(ctx: AppContext) -> None:
        start.wait()
        ran.append(export_runner.run_next(ctx))

    threads = [threading.Thread(target=go, args=(ctx,)) for ctx in contexts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for ctx in contexts:
        ctx.db.dispose()
    assert sorted(ran, key=str) == sorted([job["id"], None], key=str)
    with server.ctx.db.reader() as s:
        assert len(s.scalars(select(OutboxMail).where(OutboxMail.kind == "export_ready")).all()) == 1


@pytest.mark.parametrize("minutes, taken", [(5, False), (11, True)])
def test_a_job_left_running_by_a_dead_process_is_taken_over_once_stale(
    server: ServerHarness, minutes: int, taken: bool
) -> None:
    headers = staff(server, f"export.orphelin{minutes}@exemple.fr")
    job = server.client.post(URL, json={"types": ["invoice"]}, headers=headers).json()
    dead = f"{export_runner.RUNNING_MARK}{server.clock().isoformat(timespec='seconds')} mort:1:abc"
    with server.session() as s, s.begin():
        s.execute(update(ExportJob).where(ExportJob.id == job["id"]).values(state="running", error=dead))
    server.clock.advance(minutes=minutes)
    assert (export_runner.run_next(server.ctx) == job["id"]) is taken
    assert job_state(server, headers, job["id"])["state"] == ("done" if taken else "running")


def test_a_server_stopping_puts_the_running_export_back_in_the_queue(server: ServerHarness) -> None:
    headers = staff(server, "export.arret@exemple.fr")
    job = server.client.post(URL, json={"include_pdfs": True}, headers=headers).json()
    assert export_runner.run_next(server.ctx, stopping=lambda: True) == job["id"]
    assert job_state(server, headers, job["id"])["state"] == "queued"
    assert list(exports.folder(server.settings).iterdir()) == []
    assert export_runner.run_pending(server.ctx) == [job["id"]]
    assert job_state(server, headers, job["id"])["state"] == "done"


def test_the_download_link_works_without_a_session_but_only_with_its_token(server: ServerHarness) -> None:
    headers = staff(server, "export.lien@exemple.fr")
    job = server.client.post(URL, json={"types": ["invoice"]}, headers=headers).json()
    assert (
        server.client.get(f"{URL}/{job['id']}/file", params={"token": "exp_avant-la-fin-du-job"}).status_code
        == 404
    )
    run_exports(server)
    assert server.client.get(f"{URL}/{job['id']}/file").status_code == 422  # no token at all
    _, path = mail_link(server, "export.lien@exemple.fr")
    other = path.replace(f"/exports/{job['id']}/", "/exports/999999/")
    assert server.client.get(other).status_code == 404
    with server.ctx.db.reader() as s:
        stored = s.get(ExportJob, job["id"])
        assert stored is not None and path.split("token=")[1] not in str(stored.params)


def test_the_served_app_runs_exports_in_their_own_thread(server: ServerHarness) -> None:
    headers = staff(server, "export.fond@exemple.fr")
    job = server.client.post(URL, json={"types": ["invoice"]}, headers=headers).json()
    before = set(threading.enumerate())
    stop = start_jobs(server.ctx, tick=0.05)
    try:
        assert any(t.name == "coffreo-exports" for t in set(threading.enumerate()) - before)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and job_state(server, headers, job["id"])["state"] != "done":
            time.sleep(0.05)
    finally:
        stop()
    assert job_state(server, headers, job["id"])["state"] == "done"
    assert not any(t.name == "coffreo-exports" and t.is_alive() for t in threading.enumerate())

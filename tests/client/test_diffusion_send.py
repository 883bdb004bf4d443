"""Sending a Diffusion libre batch against the real backend (issue 4 point 3): every item answered and
journaled, refusals per file in French, a lost server or a cancel leaves the rest to resume, and a
resumed or repeated batch never delivers a document twice. The SIGKILL test is in test_diffusion_kill.py."""

from __future__ import annotations

import asyncio
import base64
import csv
import os
from pathlib import Path

import pytest

from coffreo_desktop.client.diffusion import SentDocument
from coffreo_desktop.client.diffusion_send import (
    ItemOutcome,
    ItemState,
    JournalBusy,
    SendJournal,
    SendProgress,
    StopReason,
    send_batch,
    summary_rows,
    write_summary_csv,
)
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.domain.rights import Right
from tests.client.diffusion_backend import delivered, diffusion_api, items, recipients, staff
from tests.client.documents_backend import served
from tests.client.test_document_cache import sample_row
from tests.support import ServerHarness

KEY = os.urandom(32)
QUICK_RETRIES = (0.01, 0.01)


def journal_for(
    tmp_path: Path, server: ServerHarness, planned: list, *, key: bytes | None = KEY
) -> SendJournal:
    return SendJournal.create(tmp_path / "journaux", key, server.agency_id("PAR11"), "Paris 11", planned)


def send(
    base_url: str, email: str, journal: SendJournal, **options: object
) -> tuple[object, list[SendProgress]]:
    seen: list[SendProgress] = []

    async def main() -> object:
        api = await diffusion_api(base_url, email)
        try:
            return await send_batch(api, journal, on_progress=seen.append, **options)  # type: ignore[arg-type]
        finally:
            await api.api.aclose()

    return asyncio.run(main()), seen


def test_a_batch_is_delivered_once_and_journaled_and_sending_it_again_delivers_nothing(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)
    planned = items(tmp_path / "pdf", recipients(server, 3), 12, "Lot A")
    journal = journal_for(tmp_path, server, planned + planned[:2])  # the same item twice counts once
    assert len(journal.items) == 12
    with served(server) as url:
        report, seen = send(url, email, journal)
        assert report.finished  # type: ignore[attr-defined]
        assert journal.counts()[ItemState.SENT] == 12 and not journal.remaining()
        assert seen[-1].done == seen[-1].total == 12
        assert all(journal.outcome(item.key).document_id for item in planned)
        journal.close()
        # Read back from disk: the same answers.
        (again,) = [SendJournal._read(journal.path, KEY)]  # type: ignore[arg-type]
        assert again is not None and again.outcomes == journal.outcomes

        # The same files for the same people and type, in a new batch: the server answers its first result.
        repeat = journal_for(tmp_path, server, planned)
        report, _ = send(url, email, repeat)
        assert report.finished  # type: ignore[attr-defined]
        assert repeat.counts()[ItemState.ALREADY_SENT] == 12
        assert [repeat.outcome(i.key).document_id for i in planned] == [
            journal.outcome(i.key).document_id for i in planned
        ]
    counts = delivered(server, "Lot A")
    assert len(counts) == 12 and set(counts.values()) == {1}


def test_a_type_without_its_right_and_a_changed_or_missing_file_are_refused_per_file_in_french(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)  # no DLS
    people = recipients(server, 2)
    simple = items(tmp_path / "a", people, 3, "Lot B")
    to_sign = items(tmp_path / "b", people, 1, "Lot B signer", Protection.TO_SIGN)
    Path(simple[1].path).write_bytes(b"%PDF-1.4 autre contenu")
    Path(simple[2].path).unlink()
    journal = journal_for(tmp_path, server, simple + to_sign)
    with served(server) as url:
        report, _ = send(url, email, journal)
    assert report.finished  # type: ignore[attr-defined]
    outcomes = [journal.outcome(item.key) for item in simple + to_sign]
    assert [o.state for o in outcomes] == [
        ItemState.SENT,
        ItemState.REFUSED,
        ItemState.REFUSED,
        ItemState.REFUSED,
    ]
    assert "a changé depuis sa vérification" in outcomes[1].detail
    assert "introuvable" in outcomes[2].detail
    assert "DLS" in outcomes[3].detail or "droit" in outcomes[3].detail.lower(), outcomes[3].detail
    assert set(delivered(server, "Lot B")) == {(simple[0].recipient_id, "Lot B 0")}


def test_a_server_gone_mid_batch_interrupts_it_and_the_resume_finishes_exactly_once(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)
    planned = items(tmp_path / "pdf", recipients(server, 4), 10, "Lot C")
    journal = journal_for(tmp_path, server, planned)

    async def cut_off() -> object:
        with served(server) as url:
            api = await diffusion_api(url, email)
        try:  # logged in, then the server stopped: its port answers nothing now
            return await send_batch(api, journal, retry_delays=QUICK_RETRIES)
        finally:
            await api.api.aclose()

    report = asyncio.run(cut_off())
    assert report.reason is StopReason.INTERRUPTED  # type: ignore[attr-defined]
    assert "injoignable" in report.detail  # type: ignore[attr-defined]
    assert len(journal.remaining()) == 10
    journal.close()

    (found,) = SendJournal.unfinished(tmp_path / "journaux", KEY)
    assert found.batch_id == journal.batch_id and len(found.remaining()) == 10
    resumed = SendJournal.open(found.path, KEY)  # type: ignore[arg-type]
    with served(server) as url:
        report, _ = send(url, email, resumed)
    assert report.finished  # type: ignore[attr-defined]
    resumed.close()
    assert SendJournal.unfinished(tmp_path / "journaux", KEY) == []
    counts = delivered(server, "Lot C")
    assert len(counts) == 10 and set(counts.values()) == {1}


def test_cancel_stops_the_batch_leaving_the_rest_pending_then_resume_completes_it(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)
    planned = items(tmp_path / "pdf", recipients(server, 3), 15, "Lot D")
    journal = journal_for(tmp_path, server, planned)
    with served(server) as url:

        async def main() -> object:
            api = await diffusion_api(url, email)
            cancelled = asyncio.Event()

            def progress(p: SendProgress) -> None:
                if p.done >= 3:
                    cancelled.set()

            try:
                return await send_batch(
                    api, journal, on_progress=progress, cancelled=cancelled, concurrency=2
                )
            finally:
                await api.api.aclose()

        report = asyncio.run(main())
        assert report.reason is StopReason.CANCELLED  # type: ignore[attr-defined]
        assert "restent à envoyer" in report.detail  # type: ignore[attr-defined]
        left = len(journal.remaining())
        assert 0 < left < 15
        report, _ = send(url, email, journal)
        assert report.finished  # type: ignore[attr-defined]
    counts = delivered(server, "Lot D")
    assert len(counts) == 15 and set(counts.values()) == {1}


def test_the_journal_is_encrypted_survives_a_cut_last_line_and_is_locked_while_open(
    server: ServerHarness, tmp_path: Path
) -> None:
    planned = items(tmp_path / "pdf", recipients(server, 1), 2, "Lot E")
    journal = journal_for(tmp_path, server, planned)
    assert journal.path is not None
    raw = journal.path.read_bytes()
    assert b"Lot E" not in raw and planned[0].path.encode() not in raw
    for line in raw.split():
        assert b"Lot E" not in base64.b64decode(line)
    with pytest.raises(JournalBusy):
        SendJournal.open(journal.path, KEY)  # another window already has it
    journal.close()

    # A crash while a line was being written: the cut line is ignored, the item stays to send.
    with journal.path.open("ab") as out:
        out.write(b"\nQUJDREVG")
    found = SendJournal._read(journal.path, KEY)
    assert found is not None and len(found.remaining()) == 2
    assert SendJournal._read(journal.path, os.urandom(32)) is None  # another key reads nothing

    opened = SendJournal.open(journal.path, KEY)
    opened.record(opened.outcome(planned[0].key).__class__(planned[0].key, ItemState.REFUSED, "motif"))
    opened.close()
    reread = SendJournal._read(journal.path, KEY)
    assert reread is not None and reread.outcome(planned[0].key).state is ItemState.REFUSED


def test_without_a_keyring_key_the_journal_stays_in_memory(server: ServerHarness, tmp_path: Path) -> None:
    planned = items(tmp_path / "pdf", recipients(server, 1), 1, "Lot F")
    journal = journal_for(tmp_path, server, planned, key=None)
    assert not journal.persistent and not (tmp_path / "journaux").exists()
    assert SendJournal.unfinished(tmp_path / "journaux", None) == []


def test_the_summary_csv_has_a_row_per_file_with_its_result_and_neutralised_formulas(
    server: ServerHarness, tmp_path: Path
) -> None:
    email = staff(server, Right.DIFFUSION_LIBRE)
    planned = items(tmp_path / "pdf", recipients(server, 2), 2, "Lot G")
    journal = journal_for(tmp_path, server, planned)
    with served(server) as url:
        send(url, email, journal)
    journal.items[1] = journal.items[1].__class__(
        **{**journal.items[1].to_json(), "title": "=SOMME(A1)"} | {"protection": Protection.SIMPLE}
    )
    target = tmp_path / "résumé.csv"
    write_summary_csv(journal, target)
    with target.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, delimiter=";"))
    assert rows[0][:5] == ["Fichier", "Destinataire", "Type", "Titre", "Résultat"]
    assert rows[1][0] == "Lot G-0000.pdf" and rows[1][4] == "Envoyé" and rows[1][6].isdigit()
    assert rows[2][3] == "'=SOMME(A1)"
    assert len(summary_rows(journal)) == 2
    assert not list(tmp_path.glob(".*partiel"))


class FailingServer:
    """Stands in for DiffusionApi where the real backend cannot be made to fail: a server error (5xx)
    for the files named in ``failing`` (every attempt), a delivered document for the others."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.calls: list[str] = []

    async def send_document(self, agency_id: int, **fields: object) -> SentDocument:
        name = str(fields["file_name"])
        self.calls.append(name)
        if name in self.failing:
            raise ApiError(500, "internal_error", "Erreur interne du serveur.")
        return SentDocument(sample_row(len(self.calls)), (), False)


def test_a_file_the_server_keeps_failing_on_is_refused_alone_and_a_failing_server_stops_the_batch(
    server: ServerHarness, tmp_path: Path
) -> None:
    planned = items(tmp_path / "pdf", recipients(server, 1), 6, "Lot H")
    journal = journal_for(tmp_path, server, planned)
    api = FailingServer({planned[1].file_name})
    report = asyncio.run(send_batch(api, journal, concurrency=1, retry_delays=QUICK_RETRIES))  # type: ignore[arg-type]
    assert report.finished  # one bad file does not block the batch at every resume
    outcome = journal.outcome(planned[1].key)
    assert outcome.state is ItemState.REFUSED and "renvoyez-le plus tard" in outcome.detail
    assert journal.counts()[ItemState.SENT] == 5
    assert api.calls.count(planned[1].file_name) == len(QUICK_RETRIES) + 1

    # Every file failing: after three in a row the server itself is failing, the rest stays to resume.
    broken = journal_for(tmp_path, server, items(tmp_path / "autres", recipients(server, 1), 6, "Lot I"))
    api = FailingServer({item.file_name for item in broken.items})
    report = asyncio.run(send_batch(api, broken, concurrency=1, retry_delays=QUICK_RETRIES))  # type: ignore[arg-type]
    assert report.reason is StopReason.INTERRUPTED
    assert broken.counts()[ItemState.REFUSED] == 2 and len(broken.remaining()) == 4


def test_answers_written_when_a_cancel_comes_are_kept_before_send_batch_returns(
    server: ServerHarness, tmp_path: Path
) -> None:
    planned = items(tmp_path / "pdf", recipients(server, 1), 8, "Lot J")
    journal = journal_for(tmp_path, server, planned)
    cancelled = asyncio.Event()
    slow_writes = 0

    async def slow_blocking(fn: object, *args: object) -> object:
        nonlocal slow_writes
        if fn == journal.record and args[0].state is ItemState.SENT:  # type: ignore[attr-defined]
            slow_writes += 1
            cancelled.set()  # the stop comes while this answer is being written
            await asyncio.sleep(0.05)
        return await asyncio.to_thread(fn, *args)  # type: ignore[arg-type]

    report = asyncio.run(
        send_batch(FailingServer(set()), journal, cancelled=cancelled, run_blocking=slow_blocking)  # type: ignore[arg-type]
    )
    journal.close()  # what the dialog does next: every write has ended, none is lost or refused
    assert report.reason is StopReason.CANCELLED
    on_disk = SendJournal._read(journal.path, KEY)  # type: ignore[arg-type]
    assert on_disk is not None and on_disk.outcomes == journal.outcomes
    assert on_disk.answered == journal.answered > 0


def test_finished_and_unreadable_journals_are_removed_when_looked_for(
    server: ServerHarness, tmp_path: Path
) -> None:
    planned = items(tmp_path / "pdf", recipients(server, 1), 2, "Lot K")
    done = journal_for(tmp_path, server, planned)
    for item in planned:
        done.record(ItemOutcome(item.key, ItemState.SENT, document_id=1))
    done.close()
    other_key = SendJournal.create(tmp_path / "journaux", os.urandom(32), 1, "Autre", planned)
    other_key.close()
    busy = journal_for(tmp_path, server, planned)  # still open (locked) by "another window"
    busy.record(ItemOutcome(planned[0].key, ItemState.SENT, document_id=1))
    busy.record(ItemOutcome(planned[1].key, ItemState.SENT, document_id=2))
    assert SendJournal.unfinished(tmp_path / "journaux", KEY) == []
    assert [p.name for p in (tmp_path / "journaux").glob("lot-*")] == [busy.path.name]  # type: ignore[union-attr]
    busy.close()

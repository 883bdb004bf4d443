"""The Diffusion libre batch without Qt: rows per recipient, titles, types per right, removal and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from coffreo_desktop.client.diffusion import Recipient
from coffreo_desktop.client.diffusion_plan import FileCheck, RowStatus
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui.diffusion_batch import DiffusionBatch, title_problem

ALICE = Recipient(1, "Mme", "Alice", "Martin", "123456", "alice@example.org")
BRUNO = Recipient(2, "M.", "Bruno", "Petit", "654321", "bruno@example.org")


def checked(name: str, content: str = "", refusal: str | None = None) -> FileCheck:
    return FileCheck(Path("/lot") / name, 1000, 1, content or name, refusal)


def batch_of(*checks: FileCheck) -> DiffusionBatch:
    batch = DiffusionBatch()
    batch.add_checks({c.path: c for c in checks})
    batch.learn(batch.unknown_matricules(), {"123456": ALICE})
    return batch


def statuses(batch: DiffusionBatch) -> list[tuple[str, RowStatus, int | None]]:
    return [(r.file_name, r.status, r.recipient.id if r.recipient else None) for r in batch.rows()]


def test_a_file_without_known_matricule_goes_to_each_chosen_recipient() -> None:
    batch = batch_of(checked("123456_paie.pdf"), checked("note.pdf"), checked("x.txt", refusal="pas un PDF"))
    assert statuses(batch) == [
        ("123456_paie.pdf", RowStatus.READY, 1),
        ("note.pdf", RowStatus.UNMATCHED, None),
        ("x.txt", RowStatus.REFUSED, None),
    ]
    batch.chosen[:] = [ALICE, BRUNO]
    assert [s[1:] for s in statuses(batch)[1:3]] == [(RowStatus.READY, 1), (RowStatus.READY, 2)]


def test_the_same_content_twice_is_refused_and_the_same_path_ignored() -> None:
    batch = batch_of(checked("a.pdf", "same"), checked("b.pdf", "same"))
    assert [s[1] for s in statuses(batch)] == [RowStatus.UNMATCHED, RowStatus.REFUSED]
    assert batch.new_paths([Path("/lot/a.pdf"), Path("/lot/c.pdf"), Path("/lot/c.pdf")]) == [
        Path("/lot/c.pdf")
    ]


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("", "Le titre ne peut pas être vide."),
        ("   ", "Le titre ne peut pas être vide."),
        ("Bulletin 1 85 07 75 123 456 78", "numéro de sécurité sociale"),
        ("x" * 201, "200 caractères"),
        ("Bulletin de mars", None),
    ],
)
def test_titles_are_refused_when_empty_too_long_or_holding_a_nir(title: str, problem: str | None) -> None:
    found = title_problem(title)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_types_follow_the_rights_and_the_first_allowed_is_the_default() -> None:
    batch = batch_of(checked("123456_paie.pdf"))
    batch.change_issuer(frozenset({Protection.PROTECTED, Protection.TO_SIGN}))
    batch.learn(batch.unknown_matricules(), {"123456": ALICE})
    row = batch.rows()[0]
    assert row.protection is Protection.PROTECTED
    assert batch.set_protection([row.key], Protection.SIMPLE) == 0
    assert batch.set_protection([row.key], Protection.TO_SIGN) == 1
    assert batch.rows()[0].protection is Protection.TO_SIGN


def test_removing_a_recipient_row_keeps_the_file_for_the_others_and_undo_restores() -> None:
    batch = batch_of(checked("note.pdf"))
    batch.chosen[:] = [ALICE, BRUNO]
    alice_row = batch.rows()[0]
    assert batch.set_title(alice_row.key, "  Note   de service ") is None
    assert batch.remove([alice_row.key]) == 1
    assert statuses(batch) == [("note.pdf", RowStatus.READY, 2)]
    assert batch.remove([batch.rows()[0].key]) == 1 and batch.files == {}
    assert batch.undo() and batch.undo()
    assert [r.title for r in batch.rows()] == ["Note de service", "note"]


def test_sent_rows_leave_for_good() -> None:
    batch = batch_of(checked("123456_paie.pdf"), checked("note.pdf"))
    batch.assign([Path("/lot/note.pdf")], BRUNO)
    keys = {row.send_key for row in batch.rows()}
    assert len(keys) == 2
    assert batch.forget_sent(keys) == 2
    assert batch.rows() == [] and not batch.undo()

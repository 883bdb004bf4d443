"""Bulk Diffusion libre, before sending: check each dropped file, match it to a recipient by the
matricule in its name, and group the rows (ready / unmatched / refused). Pure, no Qt; blocking I/O."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN
from coffreo_desktop.domain.limits import ADVISED_FILE_SIZE, KB, MAX_FILE_SIZE, MB
from coffreo_desktop.domain.nir import contains_nir

_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024  # readers accept the header after some leading garbage
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FileCheck:
    """The result of checking one file: ``refusal`` (French) is None when the file can be sent."""

    path: Path
    size: int
    pages: int = 0
    sha256: str = ""
    refusal: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.refusal is None


class RowStatus(Enum):
    READY = "ready"
    UNMATCHED = "unmatched"
    REFUSED = "refused"


@dataclass(frozen=True)
class PlanRow:
    """One file of the table: its check, the matricule read in its name and the matched recipient."""

    check: FileCheck
    status: RowStatus
    matricule: str | None = None
    recipient_id: str | None = None
    warnings: tuple[str, ...] = field(default=())


def format_size(size: int) -> str:
    """A size as the interface shows it: "812 Ko", "5 Mo", "5,2 Mo"."""
    if size < MB:
        return f"{max(1, round(size / KB))} Ko"
    return f"{size / MB:.1f}".replace(".", ",").removesuffix(",0") + " Mo"


def _shown(name: str) -> str:
    # A refusal is shown and may be logged: never repeat the NIR (nor raw control characters).
    shown = re.sub(r"[0-9]", "•", name) if contains_nir(name) else name
    return f"« {_CONTROL.sub('?', shown)} »"


def _name_refusal(name: str) -> str | None:
    if "../" in name or "..\\" in name or name in ("..", "."):
        return f"Le nom {_shown(name)} contient « ../ » : renommez le fichier."
    if _CONTROL.search(name):
        return f"Le nom {_shown(name)} contient des caractères de contrôle : renommez le fichier."
    if contains_nir(name):
        return (
            f"Le nom {_shown(name)} contient un numéro de sécurité sociale : "
            "renommez le fichier avant de l'envoyer."
        )
    return None


def check_file(path: Path, name: str | None = None) -> FileCheck:
    """Check the file at ``path`` (shown as ``name``, its file name by default). Blocking."""
    name = path.name if name is None else name
    refusal = _name_refusal(name)
    try:
        size = path.stat().st_size
    except OSError:
        return FileCheck(path, 0, refusal=refusal or f"{_shown(name)} est introuvable ou illisible.")
    if refusal:
        return FileCheck(path, size, refusal=refusal)
    if size == 0:
        return FileCheck(path, 0, refusal=f"{_shown(name)} est vide.")
    if size > MAX_FILE_SIZE:
        return FileCheck(
            path,
            size,
            refusal=f"{_shown(name)} pèse {format_size(size)} : {format_size(MAX_FILE_SIZE)} maximum.",
        )
    try:
        data = path.read_bytes()
    except OSError:
        return FileCheck(path, size, refusal=f"{_shown(name)} est introuvable ou illisible.")
    size, sha256 = len(data), hashlib.sha256(data).hexdigest()  # what was read is what counts
    if size > MAX_FILE_SIZE:
        return FileCheck(
            path, size, sha256=sha256, refusal=f"{_shown(name)} pèse plus de {format_size(MAX_FILE_SIZE)}."
        )
    if _MAGIC not in data[: _MAGIC_WINDOW + len(_MAGIC)]:
        refusal = f"{_shown(name)} n'est pas un PDF : seuls les fichiers PDF sont acceptés."
        return FileCheck(path, size, sha256=sha256, refusal=refusal)
    pages, refusal = _scan_pdf(data, _shown(name))
    warnings: tuple[str, ...] = ()
    if refusal is None and size > ADVISED_FILE_SIZE:
        warnings = (
            f"{_shown(name)} pèse {format_size(size)} : {format_size(ADVISED_FILE_SIZE)} conseillés au "
            "maximum, un fichier plus léger s'ouvre plus vite chez le destinataire.",
        )
    return FileCheck(path, size, pages, sha256, refusal, warnings)


def _scan_pdf(data: bytes, shown: str) -> tuple[int, str | None]:
    """Open with pypdf, refuse encryption, decode every page, then look for active content."""
    from pypdf import PdfReader  # imported on first use: ~0.1 s

    unreadable = f"{shown} n'est pas un PDF lisible : le fichier est endommagé ou incomplet."
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return 0, f"{shown} est protégé par un mot de passe ou chiffré : envoyez-le sans protection."
        pages = 0
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()  # a truncated or corrupt stream fails here
            pages += 1
        active = _find_active_content(reader.trailer)
    except Exception:
        return 0, unreadable
    if pages == 0:
        return 0, f"{shown} n'est pas un PDF lisible : il ne contient aucune page."
    if active == "javascript":
        return pages, f"{shown} contient du JavaScript : ce type de contenu actif est refusé."
    if active == "launch":
        return (
            pages,
            f"{shown} contient une action qui lance un programme ou ouvre un fichier : elle est refusée.",
        )
    if active == "embedded":
        return pages, f"{shown} contient un fichier joint (pièce incorporée) : elle est refusée."
    return pages, None


def _find_active_content(trailer: Any) -> str | None:
    """Walk every object reachable from the trailer once; JavaScript > launch > embedded file.

    Covers /Names /JavaScript, /OpenAction, /AA and annotation actions (all are dictionaries with
    /S /JavaScript, /JS or /S /Launch), and embedded files (/EmbeddedFiles, /EmbeddedFile, /EF).
    """
    from pypdf.generic import IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [trailer]
    launch = embedded = False
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue  # cyclic graphs (/Parent, /P) are normal in PDFs
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, dict):
            if "/JS" in obj or "/JavaScript" in obj or obj.get("/S") == "/JavaScript":
                return "javascript"
            launch = launch or obj.get("/S") == "/Launch"
            embedded = (
                embedded or "/EmbeddedFiles" in obj or "/EF" in obj or obj.get("/Type") == "/EmbeddedFile"
            )
            stack.extend(dict.values(obj))  # unresolved references, resolved once above
        elif isinstance(obj, list):
            stack.extend(obj)
    return "launch" if launch else "embedded" if embedded else None


def match_matricule(file_name: str, pattern: str = DEFAULT_MATRICULE_PATTERN) -> str | None:
    """The matricule read in ``file_name`` (first group of ``pattern``, or the whole match), else None.

    A NIR-shaped name never yields a matricule: part of it would match a random recipient.
    """
    stem = file_name.rsplit(".", 1)[0] if file_name.lower().endswith(".pdf") else file_name
    if contains_nir(stem):
        return None
    found = re.search(pattern, stem)
    if found is None:
        return None
    value = found.group(1) if found.re.groups else found.group(0)
    return value or None


def plan(
    paths: Iterable[Path],
    recipients_by_matricule: Mapping[str, str],
    pattern: str = DEFAULT_MATRICULE_PATTERN,
    checks: Mapping[Path, FileCheck] | None = None,
) -> list[PlanRow]:
    """Check (or reuse ``checks``) and match every path; rows come grouped ready, unmatched, refused.

    The same content dropped twice: the later copies are refused. Two files for the same recipient:
    a warning on each, not a refusal (a payslip and a contract may go together).
    """
    rows: list[PlanRow] = []
    seen_content: dict[str, Path] = {}
    for path in paths:
        check = checks[path] if checks and path in checks else check_file(path)
        if check.ok and check.sha256 in seen_content:
            first = seen_content[check.sha256].name
            check = FileCheck(
                check.path, check.size, check.pages, check.sha256,
                f"{_shown(path.name)} a le même contenu que « {first} » : il n'est envoyé qu'une fois.",
                check.warnings,
            )  # fmt: skip
        elif check.ok:
            seen_content[check.sha256] = path
        matricule = match_matricule(path.name, pattern)
        recipient = recipients_by_matricule.get(matricule) if matricule else None
        if not check.ok:
            status = RowStatus.REFUSED
        elif recipient is None:
            status = RowStatus.UNMATCHED
        else:
            status = RowStatus.READY
        rows.append(PlanRow(check, status, matricule, recipient, check.warnings))

    per_recipient = Counter(row.recipient_id for row in rows if row.status is RowStatus.READY)
    order = {RowStatus.READY: 0, RowStatus.UNMATCHED: 1, RowStatus.REFUSED: 2}
    result = []
    for row in rows:
        count = per_recipient.get(row.recipient_id, 0) if row.status is RowStatus.READY else 0
        if count > 1:
            note = f"{count} fichiers pour le même destinataire (matricule {row.matricule}) : vérifiez."
            row = PlanRow(row.check, row.status, row.matricule, row.recipient_id, (*row.warnings, note))
        result.append(row)
    return sorted(result, key=lambda row: order[row.status])  # stable: keeps the drop order within a group


def idempotency_key(sha256: str, recipient_id: str, protection: str) -> str:
    """A stable key from the content, the recipient and the type: resending the same triple is a no-op."""
    return hashlib.sha256(
        f"diffusion-libre\x1f{sha256}\x1f{recipient_id}\x1f{protection}".encode()
    ).hexdigest()

"""The checks every uploaded PDF passes (PRODUCT.md F3.5, "Rules and numbers"): size, NIR in the name,
a real readable unencrypted PDF, no JavaScript and no launch action. Shared by deposits and diffusion."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pypdf is imported on first use: it costs ~0.1 s at server start-up
    from pypdf import PdfReader

from coffreo_desktop.domain.limits import ADVISED_FILE_SIZE, KB, MAX_FILE_SIZE, MB
from coffreo_desktop.domain.nir import contains_nir

_CHUNK = 256 * KB
_MAGIC = b"%PDF-"
#: The PDF header may follow some garbage; readers accept it within the first kilobyte.
_MAGIC_WINDOW = 1024
_ESCAPED_NAME = re.compile(rb"/[^\s/\[\]<>(){}%#]*#[0-9A-Fa-f]{2}")


class PdfRefusal(Exception):
    """A file refused, with a stable ``code`` for the API and a French ``detail`` naming the file."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class PdfReport:
    """What a file that passed the checks is: its pages, size, hash and French warnings."""

    pages: int
    size: int
    sha256: str
    warnings: tuple[str, ...]


def format_size(size: int) -> str:
    """A size in the French style of the interface: "812 Ko", "5 Mo", "5,2 Mo"."""
    if size < MB:
        return f"{max(1, round(size / KB))} Ko"
    text = f"{size / MB:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} Mo"


def _shown_name(file_name: str) -> str:
    # A refusal is shown and may be logged: never repeat the NIR it is about.
    return re.sub(r"[0-9]", "•", file_name) if contains_nir(file_name) else file_name


def check_pdf(
    path: Path,
    *,
    file_name: str,
    title: str | None = None,
    max_size: int = MAX_FILE_SIZE,
    advised_size: int = ADVISED_FILE_SIZE,
) -> PdfReport:
    """Check the file at ``path`` (shown to the user as ``file_name``); raise PdfRefusal or report."""
    name = f"« {_shown_name(file_name)} »"
    size = path.stat().st_size
    if size == 0:
        raise PdfRefusal("empty", f"{name} est vide.")
    if size > max_size:
        raise PdfRefusal("too_large", f"{name} pèse {format_size(size)} : {format_size(max_size)} maximum.")
    if contains_nir(file_name):
        raise PdfRefusal(
            "nir_in_name",
            f"Le nom {name} contient un numéro de sécurité sociale : renommez le fichier avant de l'envoyer.",
        )
    if title is not None and contains_nir(title):
        raise PdfRefusal(
            "nir_in_name",
            f"Le titre donné à {name} contient un numéro de sécurité sociale : changez le titre.",
        )

    data, sha256 = _read_hashed(path, max_size)
    size = len(data)  # the file may have changed since stat(); what was read is what counts
    if size > max_size:
        raise PdfRefusal(
            "too_large", f"{name} pèse plus de {format_size(max_size)} : {format_size(max_size)} maximum."
        )
    if _MAGIC not in data[: _MAGIC_WINDOW + len(_MAGIC)]:
        raise PdfRefusal("not_pdf", f"{name} n'est pas un PDF : seuls les fichiers PDF sont acceptés.")

    pages = _open_and_scan(data, name)
    warnings: list[str] = []
    if size > advised_size:
        warnings.append(
            f"{name} pèse {format_size(size)} : {format_size(advised_size)} conseillés au maximum, "
            "un fichier plus léger s'ouvre plus vite chez le destinataire."
        )
    return PdfReport(pages=pages, size=size, sha256=sha256, warnings=tuple(warnings))


def _read_hashed(path: Path, max_size: int) -> tuple[bytes, str]:
    """Read the file once, in chunks, hashing as it comes; stop one chunk past the limit."""
    digest = hashlib.sha256()
    buffer = bytearray()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            buffer += chunk
            if len(buffer) > max_size:
                break
    return bytes(buffer), digest.hexdigest()


def _open_and_scan(data: bytes, name: str) -> int:
    """Open with pypdf, refuse encryption, read every page, then look for active content."""
    from pypdf import PdfReader

    unreadable = f"{name} n'est pas un PDF lisible : le fichier est endommagé ou incomplet."
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise PdfRefusal("unreadable", unreadable) from exc
    if encrypted:
        raise PdfRefusal(
            "encrypted", f"{name} est protégé par un mot de passe ou chiffré : envoyez-le sans protection."
        )
    try:
        pages = 0
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()  # decodes the stream: a truncated or corrupt page fails here
            pages += 1
        active = _find_active_content(reader) if _may_hold_actions(data) else None
    except Exception as exc:
        raise PdfRefusal("unreadable", unreadable) from exc
    if pages == 0:
        raise PdfRefusal("unreadable", f"{name} n'est pas un PDF lisible : il ne contient aucune page.")
    if active == "javascript":
        raise PdfRefusal(
            "javascript", f"{name} contient du JavaScript : ce type de contenu actif est refusé."
        )
    if active == "launch_action":
        raise PdfRefusal(
            "launch_action",
            f"{name} contient une action qui lance un programme ou ouvre un fichier : elle est refusée.",
        )
    return pages


def _may_hold_actions(data: bytes) -> bool:
    """False only when the walk below cannot find anything, which spares it on most files.

    Action names appear verbatim in the file unless they sit in a compressed object stream or are
    written with #xx escapes (/J#53 is /JS); either case, or any of the names, means "walk".
    """
    if any(token in data for token in (b"/JS", b"/JavaScript", b"/Launch", b"/ObjStm")):
        return True
    return _ESCAPED_NAME.search(data) is not None


def _find_active_content(reader: PdfReader) -> str | None:
    """Walk every object reachable from the trailer once; "javascript" wins over "launch_action".

    Catches the /Names /JavaScript tree, /OpenAction, /AA and annotation actions alike, since they
    are all dictionaries with /S /JavaScript, a /JS entry or /S /Launch somewhere in the graph.
    """
    from pypdf.generic import IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    launch = False
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue  # cyclic graphs (/Parent, /P, /Prev) are normal in PDFs
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, dict):
            if "/JS" in obj or "/JavaScript" in obj:
                return "javascript"
            action = obj.get("/S")
            if action == "/JavaScript":
                return "javascript"
            launch = launch or action == "/Launch"
            # dict.values() keeps references unresolved, so each is resolved once, above.
            stack.extend(dict.values(obj))
        elif isinstance(obj, list):
            stack.extend(obj)
    return "launch_action" if launch else None

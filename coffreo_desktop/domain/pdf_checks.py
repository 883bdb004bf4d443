"""The checks every PDF passes before it is sent (PRODUCT.md F3.5): its name, its size, a real readable
unencrypted PDF, no active content. One implementation for the desktop (before a bulk send) and the
server (the authority on uploads). Pure: the caller reads the file; pypdf is imported on first use."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from coffreo_desktop.domain.limits import ADVISED_FILE_SIZE, KB, MAX_FILE_SIZE, MB
from coffreo_desktop.domain.nir import contains_nir

if TYPE_CHECKING:  # pypdf costs ~0.1 s to import: a server or a desktop that never checks never pays it
    from pypdf import PdfReader

# The stable refusal codes: the API's problem ``code`` and the desktop's FileCheck.code.
EMPTY = "empty"
TOO_LARGE = "too_large"
NIR_IN_NAME = "nir_in_name"
UNSAFE_NAME = "unsafe_name"
NOT_PDF = "not_pdf"
UNREADABLE = "unreadable"
ENCRYPTED = "encrypted"
JAVASCRIPT = "javascript"
LAUNCH_ACTION = "launch_action"
EMBEDDED_FILE = "embedded_file"

_MAGIC = b"%PDF-"
#: The PDF header may follow some garbage; readers accept it within the first kilobyte.
_MAGIC_WINDOW = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Page contents decoded in all, at most: ~50 times the largest file. Only a decompression bomb (a few
#: KB that inflate to 75 MB each, pypdf's per-stream cap) gets there; it would cost the server seconds.
_DECODED_BUDGET = 256 * MB


def _spelled(name: str) -> str:
    """A regex for ``name`` as a PDF may write it: each character as is or as #xx (/J#53 is /JS)."""

    def hex_code(char: str) -> str:
        return "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{ord(char):02x}")

    return "".join(f"(?:{re.escape(char)}|#{hex_code(char)})" for char in name)


# The names the active-content walk looks for, however they are spelled; a prefix is enough (a longer
# name still matches: more walks, never fewer). One pass over a file costs ~1 ms per MB.
_ACTIVE_NAME = re.compile(
    (
        "/(?:" + "|".join(map(_spelled, ("JS", "JavaScript", "Launch", "EmbeddedFile", "EF", "XFA"))) + ")"
    ).encode()
)


_XFA_SCRIPT = re.compile(rb"<(?:[\w.-]+:)?script\b", re.IGNORECASE)


class PdfRefusal(Exception):
    """A file refused, with a stable ``code`` for the API and a French ``detail`` naming the file."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class PdfFacts:
    """What a file that passed the checks is: its pages and French warnings (e.g. a heavy file)."""

    pages: int
    warnings: tuple[str, ...] = ()


def format_size(size: int) -> str:
    """A size in the French style of the interface: "812 Ko", "5 Mo", "5,2 Mo"."""
    if size < MB:
        return f"{max(1, round(size / KB))} Ko"
    return f"{size / MB:.1f}".replace(".", ",").removesuffix(",0") + " Mo"


def quoted_name(file_name: str) -> str:
    """« name » as a message shows it: never the NIR it may hold, nor raw control characters."""
    shown = re.sub(r"[0-9]", "•", file_name) if contains_nir(file_name) else file_name
    return f"« {_CONTROL.sub('?', shown)} »"


def check_name(file_name: str, *, title: str | None = None) -> None:
    """Refuse a name (or a title) that climbs folders, holds control characters or a NIR."""
    name = quoted_name(file_name)
    if "../" in file_name or "..\\" in file_name or file_name in ("..", "."):
        raise PdfRefusal(UNSAFE_NAME, f"Le nom {name} contient « ../ » : renommez le fichier.")
    if _CONTROL.search(file_name):
        raise PdfRefusal(
            UNSAFE_NAME, f"Le nom {name} contient des caractères de contrôle : renommez le fichier."
        )
    if contains_nir(file_name):
        raise PdfRefusal(
            NIR_IN_NAME,
            f"Le nom {name} contient un numéro de sécurité sociale : renommez le fichier avant de l'envoyer.",
        )
    if title is not None and contains_nir(title):
        raise PdfRefusal(
            NIR_IN_NAME, f"Le titre donné à {name} contient un numéro de sécurité sociale : changez le titre."
        )


def check_size(file_name: str, size: int, *, max_size: int = MAX_FILE_SIZE) -> None:
    """Refuse an empty file or one above ``max_size`` (``size`` as the file system gives it)."""
    name = quoted_name(file_name)
    if size == 0:
        raise PdfRefusal(EMPTY, f"{name} est vide.")
    if size > max_size:
        shown, limit = format_size(size), format_size(max_size)
        weight = f"plus de {limit}" if shown == limit else shown  # 5 Mo + 1 octet is written "5 Mo"
        raise PdfRefusal(TOO_LARGE, f"{name} pèse {weight} : {limit} maximum.")


def check_data(
    data: bytes,
    file_name: str,
    *,
    max_size: int = MAX_FILE_SIZE,
    advised_size: int = ADVISED_FILE_SIZE,
    allow_embedded_files: bool = False,
) -> PdfFacts:
    """Check the bytes read from the file (the name and the stat size are checked before reading).

    ``data`` may stop a little past ``max_size`` (a reader that gave up): it is refused as too large.
    ``allow_embedded_files`` is for a caller that must accept attachments (a Factur-X invoice, PDF/A-3,
    carries its XML so); JavaScript and launch actions are refused all the same.
    """
    name = quoted_name(file_name)
    if not data:
        raise PdfRefusal(EMPTY, f"{name} est vide.")
    if len(data) > max_size:  # the file grew since stat(): what was read is what counts
        limit = format_size(max_size)
        raise PdfRefusal(TOO_LARGE, f"{name} pèse plus de {limit} : {limit} maximum.")
    if _MAGIC not in data[: _MAGIC_WINDOW + len(_MAGIC)]:
        raise PdfRefusal(NOT_PDF, f"{name} n'est pas un PDF : seuls les fichiers PDF sont acceptés.")
    pages = _scan(data, name, allow_embedded_files)
    warnings: tuple[str, ...] = ()
    if len(data) > advised_size:
        warnings = (
            f"{name} pèse {format_size(len(data))} : {format_size(advised_size)} conseillés au maximum, "
            "un fichier plus léger s'ouvre plus vite chez le destinataire.",
        )
    return PdfFacts(pages, warnings)


def _scan(data: bytes, name: str, allow_embedded_files: bool) -> int:
    """Open with pypdf, refuse encryption, decode every page's contents, then look for active content."""
    from pypdf import PdfReader

    unreadable = f"{name} n'est pas un PDF lisible : le fichier est endommagé ou incomplet."
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise PdfRefusal(UNREADABLE, unreadable) from exc
    if encrypted:
        raise PdfRefusal(
            ENCRYPTED, f"{name} est protégé par un mot de passe ou chiffré : envoyez-le sans protection."
        )
    try:
        pages = decoded = 0
        for page in reader.pages:
            for stream in _content_streams(page):
                decoded += _decoded_size(stream, _DECODED_BUDGET - decoded)  # a corrupt stream fails here
                if decoded > _DECODED_BUDGET:
                    raise PdfRefusal(
                        UNREADABLE, f"{name} n'est pas un PDF lisible : son contenu décompressé est démesuré."
                    )
            pages += 1
        active = _find_active_content(reader) if _may_hold_active_content(data, reader) else None
    except PdfRefusal:
        raise
    except Exception as exc:
        raise PdfRefusal(UNREADABLE, unreadable) from exc
    if pages == 0:
        raise PdfRefusal(UNREADABLE, f"{name} n'est pas un PDF lisible : il ne contient aucune page.")
    if active == JAVASCRIPT:
        raise PdfRefusal(JAVASCRIPT, f"{name} contient du JavaScript : ce type de contenu actif est refusé.")
    if active == LAUNCH_ACTION:
        raise PdfRefusal(
            LAUNCH_ACTION,
            f"{name} contient une action qui lance un programme ou ouvre un fichier : elle est refusée.",
        )
    if active == EMBEDDED_FILE and not allow_embedded_files:
        raise PdfRefusal(
            EMBEDDED_FILE, f"{name} contient un fichier joint (pièce incorporée) : il est refusé."
        )
    return pages


def _content_streams(page: Any) -> list[Any]:
    """The streams of a page's /Contents (one or an array); a missing or null one is a blank page."""
    from pypdf.generic import ArrayObject, NullObject, StreamObject

    contents = _resolved(page.get("/Contents"))
    parts = [_resolved(part) for part in contents] if isinstance(contents, ArrayObject) else [contents]
    streams = [part for part in parts if part is not None and not isinstance(part, NullObject)]
    if not all(isinstance(stream, StreamObject) for stream in streams):
        raise ValueError("page contents that are not streams")
    return streams


def _decoded_size(stream: Any, budget: int) -> int:
    """Decode a content stream, at most ``budget`` + 1 bytes of it; raise if it does not decode.

    pypdf recovers what it can of a corrupt Flate stream, silently: a damaged page would pass. The
    usual case, Flate alone, is decoded here strictly instead (zlib or gzip header; trailing bytes
    after the end and a missing end are tolerated, as viewers do). Other filters: pypdf decodes them.
    """
    from pypdf.generic import EncodedStreamObject

    filters = _resolved(stream.get("/Filter"))
    if isinstance(filters, list) and len(filters) == 1:
        filters = _resolved(filters[0])
    if isinstance(stream, EncodedStreamObject) and filters == "/FlateDecode" and "/DecodeParms" not in stream:
        return len(zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(stream._data, budget + 1))
    return len(stream.get_data())


def _may_hold_active_content(data: bytes, reader: PdfReader) -> bool:
    """False only when the walk below cannot find anything: it spares the walk on most files.

    Every dictionary pypdf parses comes from the file's bytes or from a decoded object stream, and
    holds its names verbatim or with #xx escapes; so a file where none of those spells an active
    name has none. An object stream that does not decode means "walk" (the walk decides).
    """
    if _mentions_active_name(data):
        return True
    for number in {stream for stream, _ in reader.xref_objStm.values()}:
        try:
            stream = reader.get_object(number)
            decoded = stream.get_data()  # type: ignore[union-attr]
        except Exception:
            return True
        if not isinstance(decoded, bytes) or _mentions_active_name(decoded):
            return True
    return False


def _mentions_active_name(data: bytes) -> bool:
    return _ACTIVE_NAME.search(data) is not None


def _find_active_content(reader: PdfReader) -> str | None:
    """Walk every object reachable from the trailer once; JavaScript > launch action > embedded file.

    Catches the /Names /JavaScript tree, /OpenAction, /AA and annotation actions alike (dictionaries
    with /S /JavaScript, a /JS entry or /S /Launch somewhere in the graph), the scripts of an XFA
    form (/AcroForm /XFA), and embedded files (/Names /EmbeddedFiles, a file specification's /EF,
    a stream of /Type /EmbeddedFile).
    """
    from pypdf.generic import IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    launch = embedded = False
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue  # cyclic graphs (/Parent, /P, /Prev) are normal in PDFs
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, dict):
            if "/JS" in obj or "/JavaScript" in obj or ("/XFA" in obj and _xfa_has_script(obj["/XFA"])):
                return JAVASCRIPT
            # A name may hide behind a reference (/S 12 0 R): compare what it points to.
            action, kind = _resolved(obj.get("/S")), _resolved(obj.get("/Type"))
            if action == "/JavaScript":
                return JAVASCRIPT
            launch = launch or action == "/Launch"
            embedded = embedded or "/EmbeddedFiles" in obj or "/EF" in obj or kind == "/EmbeddedFile"
            # dict.values() keeps references unresolved, so each is resolved once, above.
            stack.extend(dict.values(obj))
        elif isinstance(obj, list):
            stack.extend(obj)
    return LAUNCH_ACTION if launch else EMBEDDED_FILE if embedded else None


def _xfa_has_script(xfa: Any) -> bool:
    """An XFA form (XML in one stream, or in an array of names and streams) runs its <script> elements."""
    from pypdf.generic import StreamObject

    parts = xfa if isinstance(xfa, list) else [xfa]
    streams = [part for part in map(_resolved, parts) if isinstance(part, StreamObject)]
    return any(_XFA_SCRIPT.search(stream.get_data()) for stream in streams)


def _resolved(value: Any) -> Any:
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value

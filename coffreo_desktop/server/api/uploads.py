"""Streaming uploads (ARCHITECTURE.md "API"): a request body goes chunk by chunk into a private temporary
file of the data dir, hashed on the way, its size limit enforced while reading.
Shared by deposits and diffusion."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from coffreo_desktop.domain.limits import KB, MAX_FILE_SIZE
from coffreo_desktop.domain.nir import contains_nir
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.errors import Invalid, ProblemError, TooLarge
from coffreo_desktop.server.pdf.validate import format_size

#: Room for the multipart boundaries, the part headers and the metadata fields around the file(s).
FORM_OVERHEAD = 64 * KB
MAX_FIELD_SIZE = 2 * KB
MAX_FIELDS = 40
DEFAULT_FILE_NAME = "document.pdf"
#: The parser is fed at most this much at a time, so that one huge ASGI message is still cut short.
_SLICE = 64 * KB
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class UnsupportedMediaType(ProblemError):
    status = 415
    default_code = "unsupported_media_type"


@dataclass(frozen=True)
class ReceivedFile:
    """A file received whole: where it waits (removed when the upload's context ends, unless moved)."""

    path: Path
    file_name: str
    content_type: str
    size: int
    sha256: str


@dataclass
class ReceivedForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, ReceivedFile] = field(default_factory=dict)

    def file(self, name: str) -> ReceivedFile:
        try:
            return self.files[name]
        except KeyError:
            raise Invalid(
                f"Aucun fichier reçu : joignez le PDF dans le champ « {name} ».",
                code="missing_file",
                field=name,
            ) from None


def upload_dir(settings: ServerSettings) -> Path:
    """Where uploads wait while they are checked: in the data dir, next to the blob store, so that
    storing an accepted file is a rename and not a second copy."""
    return settings.data_dir / "uploads"


def shown_name(file_name: str) -> str:
    """The name as it may appear in a message: a NIR in it is never repeated."""
    return re.sub(r"[0-9]", "•", file_name) if contains_nir(file_name) else file_name


def _too_large(file_name: str, max_size: int) -> TooLarge:
    return TooLarge(
        f"« {shown_name(file_name)} » pèse plus de {format_size(max_size)} : "
        f"{format_size(max_size)} maximum.",
        code="too_large",
    )


def safe_file_name(raw: str) -> str:
    """The last path component, without control characters, at most 255 characters (extension kept)."""
    name = _UNSAFE_NAME_CHARS.sub("", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + dot + ext if dot and len(ext) <= 10 else name[:255]
    return name or DEFAULT_FILE_NAME


class _Spool:
    """One file being received: a 0600 temporary file, its running size and hash, the limit on each chunk."""

    def __init__(self, directory: Path, file_name: str, content_type: str, max_size: int) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self.file_name = file_name
        self.content_type = content_type
        self.max_size = max_size
        self.size = 0
        self._digest = hashlib.sha256()
        self._out = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_size:
            raise _too_large(self.file_name, self.max_size)
        self._digest.update(data)
        # A plain write on the event loop: a page-cache write of at most _SLICE bytes is shorter than
        # a hop to a worker thread would be.
        self._out.write(data)

    def close(self) -> ReceivedFile:
        self._out.close()
        return ReceivedFile(self.path, self.file_name, self.content_type, self.size, self._digest.hexdigest())

    def discard(self) -> None:
        self._out.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _refuse_declared_length(request: Request, max_body: int, max_file_size: int) -> None:
    """Refuse at once, reading nothing, a body whose announced length is already over the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise TooLarge(
            f"L'envoi pèse {format_size(int(declared))} : {format_size(max_file_size)} maximum par fichier.",
            code="too_large",
        )


class _FormReader:
    """Drives python-multipart's streaming parser; every limit is checked as the bytes arrive."""

    def __init__(self, directory: Path, file_fields: tuple[str, ...], max_file_size: int) -> None:
        self.directory = directory
        self.file_fields = file_fields
        self.max_file_size = max_file_size
        self.form = ReceivedForm()
        self.spools: list[_Spool] = []
        self.ended = False
        self._headers: dict[str, str] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._field_name: str | None = None
        self._field_value = bytearray()
        self._spool: _Spool | None = None
        self._spool_field = ""

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._field_name, self._spool = None, None
        self._field_value = bytearray()

    def _header_end(self) -> None:
        self._headers[self._header_name.decode("latin-1").lower()] = self._header_value.decode("latin-1")
        self._header_name, self._header_value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition", ""))
        name = _decode(options.get(b"name", b""))
        if disposition != b"form-data" or not name:
            raise Invalid(
                "Envoi mal formé : une partie du formulaire n'a pas de nom.", code="malformed_upload"
            )
        if name in self.file_fields:
            if name in self.form.files:
                raise Invalid(f"Un seul fichier est accepté dans le champ « {name} ».", code="too_many_files")
            file_name = safe_file_name(_decode(options.get(b"filename", b"")))
            content_type = self._headers.get("content-type", "application/octet-stream")
            self._spool = _Spool(self.directory, file_name, content_type, self.max_file_size)
            self._spool_field = name
            self.spools.append(self._spool)
        elif b"filename" in options:
            raise Invalid(f"Le champ « {name} » n'attend pas de fichier.", code="unexpected_file", field=name)
        elif name in self.form.fields:
            raise Invalid(f"Le champ « {name} » est donné deux fois.", code="duplicate_field", field=name)
        elif len(self.form.fields) >= MAX_FIELDS:
            raise Invalid("Envoi mal formé : trop de champs.", code="malformed_upload")
        else:
            self._field_name = name

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._spool is not None:
            self._spool.write(data[start:end])
        elif self._field_name is not None:
            self._field_value.extend(data[start:end])
            if len(self._field_value) > MAX_FIELD_SIZE:
                raise Invalid(
                    f"Le champ « {self._field_name} » est trop long.",
                    code="field_too_long",
                    field=self._field_name,
                )

    def _part_end(self) -> None:
        if self._spool is not None:
            self.form.files[self._spool_field] = self._spool.close()
            self._spool = None
        elif self._field_name is not None:
            try:
                self.form.fields[self._field_name] = self._field_value.decode("utf-8")
            except UnicodeDecodeError:
                raise Invalid(
                    f"Le champ « {self._field_name} » n'est pas du texte UTF-8.",
                    code="malformed_upload",
                    field=self._field_name,
                ) from None
            self._field_name = None

    def _end(self) -> None:
        self.ended = True

    def discard(self) -> None:
        for spool in self.spools:
            spool.discard()


def _decode(raw: bytes) -> str:
    # Header parameters come back as latin-1 bytes of what was sent; clients send UTF-8 file names.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary", b"")
    if content_type != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType(
            "Envoyez le document en multipart/form-data (le PDF dans le champ « file »).",
            code="unsupported_media_type",
        )
    return boundary


@asynccontextmanager
async def receive_form(
    request: Request,
    directory: Path,
    *,
    file_fields: tuple[str, ...] = ("file",),
    max_file_size: int = MAX_FILE_SIZE,
) -> AsyncIterator[ReceivedForm]:
    """Read a multipart/form-data body: text fields in memory (small, limited), each file of
    ``file_fields`` into a temporary file of ``directory``. Temporary files are removed when the
    context ends, whatever happens; move a file elsewhere (e.g. into the blob store) to keep it.

    Raises TooLarge (413 "too_large") as soon as a file passes ``max_file_size`` or the body passes
    what the files and the form's overhead may take; the rest of the body is then never read.
    """
    max_body = len(file_fields) * max_file_size + FORM_OVERHEAD
    boundary = _boundary(request)
    _refuse_declared_length(request, max_body, max_file_size)
    reader = _FormReader(directory, file_fields, max_file_size)
    try:
        parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
        received = 0
        async for chunk in request.stream():
            # A server may hand over several megabytes at once: parse slice by slice, so that a file
            # over its limit is named in the refusal before the body's own limit is reached.
            for offset in range(0, len(chunk), _SLICE):
                piece = chunk[offset : offset + _SLICE]
                try:
                    parser.write(piece)
                except FormParserError as exc:
                    raise Invalid(
                        "Envoi mal formé : le corps multipart ne peut pas être lu.", code="malformed_upload"
                    ) from exc
                received += len(piece)
                if received > max_body:
                    raise TooLarge(
                        f"L'envoi dépasse {format_size(max_body)} : "
                        f"{format_size(max_file_size)} maximum par fichier.",
                        code="too_large",
                    )
        if not reader.ended:
            raise Invalid(
                "L'envoi est incomplet : le corps multipart s'arrête avant sa fin.", code="incomplete_upload"
            )
        yield reader.form
    finally:
        reader.discard()


@asynccontextmanager
async def receive_file(
    request: Request, directory: Path, *, file_name: str, max_size: int = MAX_FILE_SIZE
) -> AsyncIterator[ReceivedFile]:
    """Read a raw body (e.g. ``application/pdf``) into a temporary file, with the same guarantees."""
    file_name = safe_file_name(file_name)
    _refuse_declared_length(request, max_size, max_size)
    spool = _Spool(
        directory, file_name, request.headers.get("content-type", "application/octet-stream"), max_size
    )
    try:
        async for chunk in request.stream():
            for offset in range(0, len(chunk), _SLICE):
                spool.write(chunk[offset : offset + _SLICE])
        yield spool.close()
    finally:
        spool.discard()

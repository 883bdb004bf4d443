"""The checks every uploaded PDF passes (PRODUCT.md F3.5): the shared ones of domain.pdf_checks, the
same as the desktop runs before sending, here on the file waiting on disk. Shared by deposits and
diffusion: the server is the authority."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from coffreo_desktop.domain.limits import ADVISED_FILE_SIZE, KB, MAX_FILE_SIZE
from coffreo_desktop.domain.pdf_checks import (
    PdfRefusal,
    check_data,
    check_name,
    check_size,
    format_size,
)

__all__ = ["PdfRefusal", "PdfReport", "check_pdf", "format_size"]

_CHUNK = 256 * KB


@dataclass(frozen=True)
class PdfReport:
    """What a file that passed the checks is: its pages, size, hash and French warnings."""

    pages: int
    size: int
    sha256: str
    warnings: tuple[str, ...]


def check_pdf(
    path: Path,
    *,
    file_name: str,
    title: str | None = None,
    max_size: int = MAX_FILE_SIZE,
    advised_size: int = ADVISED_FILE_SIZE,
    allow_embedded_files: bool = False,
) -> PdfReport:
    """Check the file at ``path`` (shown to the user as ``file_name``); raise PdfRefusal or report.
    ``allow_embedded_files``: see domain.pdf_checks.check_data (refused by default, as on the desktop)."""
    check_name(file_name, title=title)
    check_size(file_name, path.stat().st_size, max_size=max_size)
    data, sha256 = _read_hashed(path, max_size)
    facts = check_data(
        data,
        file_name,
        max_size=max_size,
        advised_size=advised_size,
        allow_embedded_files=allow_embedded_files,
    )
    return PdfReport(pages=facts.pages, size=len(data), sha256=sha256, warnings=facts.warnings)


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

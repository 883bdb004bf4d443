"""The keys that seal and sign PDFs: each agency's sealing key and certificate, the installation's own
certificate authority, and the one-time certificates it issues to recipients who sign.

Threat model. Without configuration (the embedded mode of a workstation) keys are created on first use
under DATA/keys, encrypted as PKCS#8 (AES-256) with a password derived from a random secret kept in the
same folder (DATA/keys/secret, private to the user). That protects a key file copied alone (a backup of
one folder, a file sent by mistake), not against whoever can read the whole data folder: on a
workstation the secret sits next to the data, like the database it guards. The authority is known only
to this installation's desktops, which fetch it from GET /api/v1/trust/certificates. A server should be
given a PKCS#12 (COFFREO_SEAL_PKCS12 and COFFREO_SEAL_PKCS12_PASSWORD, from a secret store) holding a
seal certificate from a recognised authority. Keys, passwords and the secret are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.errors import ProblemError
from coffreo_desktop.server.pdf.certificates import (
    Credential,
    Entity,
    anchor,
    is_current,
    issue_seal,
    issue_signer,
    new_authority,
    new_seal,
)

log = logging.getLogger(__name__)

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\r?\n?", re.S)
_SAFE_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_UNAVAILABLE = "Le cachet électronique est indisponible : contactez l'administrateur du serveur."


class SealKeyError(ProblemError):
    """A sealing key cannot be used (a missing or wrong PKCS#12, a damaged key file): the server's fault."""

    status = 503
    default_code = "seal_key_unavailable"


class SealKeys:
    """The key material of one installation: made on first use, cached in memory, safe across threads
    and across processes sharing the data folder (files appear whole, atomically; the first one wins)."""

    def __init__(self, settings: ServerSettings) -> None:
        self.folder = settings.data_dir / "keys"
        self.pkcs12 = settings.seal_pkcs12_path
        password = settings.seal_pkcs12_password
        self._pkcs12_password = password.encode() if password else None
        self._lock = threading.RLock()
        self._password: bytes | None = None
        self._authority: Credential | None = None
        self._seals: dict[int, Credential] = {}
        self._loaded: dict[Path, tuple[tuple[int, int], Credential]] = {}
        if self.pkcs12 is None and settings.mode == "remote":
            log.warning("no COFFREO_SEAL_PKCS12: seals use the installation's own authority")

    # -- public API --------------------------------------------------------------------------------

    def authority(self) -> Credential:
        """The installation's root authority (self-signed), created on first use."""
        with self._lock:
            if self._authority is None:
                self._authority = self._load_or_create(self.folder / "authority.pem", new_authority)
            return self._authority

    def entity_seal(self, entity: Entity) -> Credential:
        """The agency's sealing key: from the configured PKCS#12, else its own, created on first use and
        re-certified (same key) when the agency's names change or the certificate nears its end."""
        if self.pkcs12 is not None:
            return self._pkcs12_credential(self._pkcs12_file(entity))
        with self._lock:
            authority = self.authority()
            cached = self._seals.get(entity.agency_id)
            if cached is None or not is_current(cached, entity, authority):
                path = self.folder / f"agency-{entity.agency_id}.pem"
                cached = self._load_or_create(path, lambda: new_seal(entity, authority))
                if not is_current(cached, entity, authority):
                    cached = issue_seal(cached.key, entity, authority)
                    _replace(path, self._dump(cached))
                self._seals[entity.agency_id] = cached
            return cached

    def issue_signer(self, name: str, email: str) -> Credential:
        """A one-time key and certificate in a recipient's name, issued now by the installation's authority.
        The key lives in memory for one signature and is never stored."""
        return issue_signer(self.authority(), name, email)

    def trust_roots(self) -> list[bytes]:
        """PEM certificates a viewer should trust: the installation's authority and the configured chains."""
        anchors = [self.authority().certificate]
        for path in self._pkcs12_files():
            try:
                anchors.append(anchor(self._pkcs12_credential(path)))
            except SealKeyError:
                continue  # logged where it failed; the other roots still serve
        unique = {c.fingerprint(hashes.SHA256()): c for c in anchors}
        return [c.public_bytes(serialization.Encoding.PEM) for c in unique.values()]

    # -- local keys --------------------------------------------------------------------------------

    def _load_or_create(self, path: Path, make: Callable[[], Credential]) -> Credential:
        if path.exists():
            return self._read(path)
        credential = make()
        if _publish(path, self._dump(credential)):
            return credential
        return self._read(path)  # another process made it first: everyone uses the same key

    def _dump(self, credential: Credential) -> bytes:
        encryption = serialization.BestAvailableEncryption(self._secret_password())
        key = credential.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        certificates = (credential.certificate, *credential.chain)
        return key + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)

    def _read(self, path: Path) -> Credential:
        blocks = [(m.group(1), m.group(0)) for m in _PEM_BLOCK.finditer(path.read_bytes())]
        try:
            (key_pem,) = [block for kind, block in blocks if kind == b"ENCRYPTED PRIVATE KEY"]
            key = serialization.load_pem_private_key(key_pem, self._secret_password())
            certificates = [x509.load_pem_x509_certificate(b) for k, b in blocks if k == b"CERTIFICATE"]
        except (ValueError, TypeError) as exc:
            log.error("unreadable key file %s (%s)", path.name, type(exc).__name__)
            raise SealKeyError(_UNAVAILABLE) from None
        if not certificates or not isinstance(key, ec.EllipticCurvePrivateKey):
            log.error("key file %s holds no certificate or an unexpected key", path.name)
            raise SealKeyError(_UNAVAILABLE)
        return Credential(key, certificates[0], tuple(certificates[1:]))

    def _secret_password(self) -> bytes:
        with self._lock:
            if self._password is None:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                path = self.folder / "secret"
                _publish(path, base64.b64encode(secrets.token_bytes(32)) + b"\n")
                secret = base64.b64decode(path.read_bytes().strip())
                # A password derived for this one use, so that the secret may serve others later.
                derived = hmac.new(secret, b"coffreo-desktop/seal-keys/v1", hashlib.sha256).hexdigest()
                self._password = derived.encode()
            return self._password

    # -- configured PKCS#12 ------------------------------------------------------------------------

    def _pkcs12_files(self) -> list[Path]:
        if self.pkcs12 is None:
            return []
        if self.pkcs12.is_dir():
            return sorted(p for p in self.pkcs12.iterdir() if p.suffix.lower() in (".p12", ".pfx"))
        return [self.pkcs12]

    def _pkcs12_file(self, entity: Entity) -> Path:
        assert self.pkcs12 is not None
        if not self.pkcs12.is_dir():
            return self.pkcs12
        for code in (entity.agency_code, entity.brand_code):
            for suffix in (".p12", ".pfx"):
                candidate = self.pkcs12 / f"{code}{suffix}"
                if _SAFE_CODE.fullmatch(code) and candidate.is_file():
                    return candidate
        log.error("no PKCS#12 for agency %s nor brand %s", entity.agency_code, entity.brand_code)
        raise SealKeyError(
            f"Aucun certificat de cachet n'est configuré pour l'établissement {entity.agency_name} : "
            "contactez l'administrateur du serveur."
        )

    def _pkcs12_credential(self, path: Path) -> Credential:
        try:
            stat = path.stat()
            version = (stat.st_mtime_ns, stat.st_size)
            with self._lock:
                cached = self._loaded.get(path)
            if cached is not None and cached[0] == version:
                return cached[1]
            key, certificate, others = pkcs12.load_key_and_certificates(
                path.read_bytes(), self._pkcs12_password
            )
        except (OSError, ValueError, TypeError) as exc:
            log.error("PKCS#12 %s cannot be opened (%s)", path.name, type(exc).__name__)
            raise SealKeyError(_UNAVAILABLE) from None
        if (
            key is None
            or certificate is None
            or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
        ):
            log.error("PKCS#12 %s holds no usable key and certificate", path.name)
            raise SealKeyError(_UNAVAILABLE)
        if certificate.not_valid_after_utc <= datetime.now(UTC):
            log.error("PKCS#12 %s: the certificate has expired", path.name)
            raise SealKeyError("Le certificat de cachet du serveur a expiré : contactez l'administrateur.")
        credential = Credential(key, certificate, tuple(others))
        with self._lock:
            self._loaded[path] = (version, credential)
        return credential


_STORES: dict[tuple[Path, Path | None, str | None], SealKeys] = {}
_STORES_LOCK = threading.Lock()


def seal_keys(settings: ServerSettings) -> SealKeys:
    """The installation's keys, one cached object per data folder and configuration (keys decrypt once)."""
    key = (settings.data_dir.resolve(), settings.seal_pkcs12_path, settings.seal_pkcs12_password)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = SealKeys(settings)
        return _STORES[key]


# -- files -------------------------------------------------------------------------------------------


def _publish(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` unless it exists; readers never see it half written. True if made."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    _write_private(temporary, data)
    try:
        os.link(temporary, path)  # atomic and exclusive: fails if another process published first
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: exclusive creation, then the content
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    _write_private(temporary, data)
    os.replace(temporary, path)


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())

"""Server settings: where the data lives, which database, how mail leaves. One object, passed explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class ServerSettings:
    data_dir: Path
    database_url: str | None = None
    mode: Literal["embedded", "remote"] = "remote"
    host: str = "127.0.0.1"
    port: int = 8765
    smtp_url: str | None = None  # smtp://user:password@host:port ; None: .eml files in data_dir/outbox
    public_url: str | None = None  # base of links in mails (invitations); defaults to http://host:port
    mail_from: str = "Coffreo <ne-pas-repondre@coffreo.fr>"
    support_email: str = "support@coffreo.fr"
    support_phone: str = "01 84 88 00 00"
    support_hours: str = "du lundi au vendredi, de 9 h à 18 h"
    support_url: str = "https://www.coffreo.com/contact"
    # Addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed
    # (comma-separated IPs or networks, passed to uvicorn as forwarded_allow_ips). Behind a TLS proxy on
    # another host, put its address here, or every client has the proxy's address: login throttling per
    # address, logs and signature evidence then see one client. Never "*" while the server can be reached
    # without the proxy: any client could then choose its own address.
    trusted_proxies: str = "127.0.0.1"
    # The sealing certificate of a server (COFFREO_SEAL_PKCS12): a PKCS#12 file for the whole group, or a
    # folder of "<agency code>.p12" / "<brand code>.p12" files, one per entity. Unset: each agency gets a
    # key created under data_dir/keys, certified by the installation's own authority (server/pdf/entity_keys).
    seal_pkcs12_path: Path | None = None
    # COFFREO_SEAL_PKCS12_PASSWORD; kept out of repr() so that a logged settings object never shows it.
    seal_pkcs12_password: str | None = field(default=None, repr=False)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'coffreo.sqlite3'}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def links_base(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, data_dir: Path, **overrides: object) -> ServerSettings:
        """Settings from the command line, completed by COFFREO_* environment variables."""
        environment = {
            "database_url": os.environ.get("COFFREO_DATABASE_URL"),
            "smtp_url": os.environ.get("COFFREO_SMTP_URL"),
            "public_url": os.environ.get("COFFREO_PUBLIC_URL"),
            "trusted_proxies": os.environ.get("COFFREO_TRUSTED_PROXIES"),
            "seal_pkcs12_path": Path(p) if (p := os.environ.get("COFFREO_SEAL_PKCS12")) else None,
            "seal_pkcs12_password": os.environ.get("COFFREO_SEAL_PKCS12_PASSWORD"),
        }
        # Unset values keep the field's default (trusted_proxies has a non-None one).
        values = {k: v for k, v in [*environment.items(), *overrides.items()] if v is not None}
        return cls(data_dir=data_dir, **values)  # type: ignore[arg-type]

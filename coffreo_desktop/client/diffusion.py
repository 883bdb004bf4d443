"""The Diffusion libre API seen from the desktop (F3): recipients (autocomplete, creation) and sending
one PDF to one recipient with its idempotency key. No Qt; every call through :meth:`ApiClient.request`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import DocumentRow
from coffreo_desktop.client.json_fields import check, decode, decode_list
from coffreo_desktop.domain.documents import Protection

#: The fields "Créer destinataire" asks for, all required (F3.4), in the server's names.
RECIPIENT_FIELDS = (
    "civility",
    "first_name",
    "last_name",
    "matricule",
    "email",
    "phone",
    "birth_date",
    "address",
)
CIVILITIES = ("M.", "Mme")
LOOKUP_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person documents can be sent to from an issuer agency."""

    id: int
    civility: str
    first_name: str
    last_name: str
    matricule: str
    email: str

    @property
    def label(self) -> str:
        """How lists show the recipient: "DUPONT Marie (M1234)"."""
        return f"{self.last_name.upper()} {self.first_name} ({self.matricule})"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Recipient:
        return cls(
            id=check(data["id"], int, "id"),
            civility=check(data["civility"], str, "civility"),
            first_name=check(data["first_name"], str, "first_name"),
            last_name=check(data["last_name"], str, "last_name"),
            matricule=check(data["matricule"], str, "matricule"),
            email=check(data["email"], str, "email"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "civility": self.civility,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "matricule": self.matricule,
            "email": self.email,
        }


@dataclass(frozen=True, slots=True)
class SentDocument:
    """The server's answer to one send: the document as Documents lists it, its warnings, and whether it
    had already been sent with the same idempotency key (``replayed``: nothing was delivered again)."""

    document: DocumentRow
    warnings: tuple[str, ...]
    replayed: bool


class DiffusionApi:
    """The ``/diffusion`` endpoints of one issuer agency at a time (``agency_id`` on every call)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def search_recipients(self, agency_id: int, text: str, limit: int = 20) -> list[Recipient]:
        """Recipients of ``agency_id`` whose name, first name or matricule matches ``text`` (autocomplete)."""
        response = await self.api.request(
            "GET",
            "/diffusion/recipients",
            params={"agency_id": agency_id, "q": text[:80], "limit": limit},
        )
        return decode_list(response, Recipient.from_json)

    async def recipients_by_matricule(self, agency_id: int, matricules: list[str]) -> dict[str, Recipient]:
        """Each matricule that names exactly one recipient of ``agency_id``, to match dropped files (one
        request per 5,000 matricules). A matricule shared by two people matches no one: a person picks."""
        wanted = list(dict.fromkeys(m.strip() for m in matricules if m.strip()))
        people: dict[str, list[Recipient]] = {}
        for start in range(0, len(wanted), LOOKUP_BATCH):
            response = await self.api.request(
                "POST",
                "/diffusion/recipients/lookup",
                params={"agency_id": agency_id},
                json={"matricules": wanted[start : start + LOOKUP_BATCH]},
            )
            for recipient in decode_list(response, Recipient.from_json):
                people.setdefault(recipient.matricule, []).append(recipient)
        return {m: found[0] for m in wanted if len(found := people.get(m, [])) == 1}

    async def create_recipient(self, agency_id: int, fields: Mapping[str, str]) -> Recipient:
        """ "Créer destinataire": every field of :data:`RECIPIENT_FIELDS` is required. A refusal raises
        ApiError whose ``errors`` name each field (``field``) with its French ``message``."""
        body = {name: str(fields.get(name, "")).strip() for name in RECIPIENT_FIELDS}
        response = await self.api.request(
            "POST", "/diffusion/recipients", params={"agency_id": agency_id}, json=body
        )
        return decode(response, Recipient.from_json)

    async def send_document(
        self,
        agency_id: int,
        *,
        recipient_id: int,
        protection: Protection,
        title: str,
        file_name: str,
        data: bytes,
        idempotency_key: str,
        timeout: float = 120.0,
    ) -> SentDocument:
        """Send ``data`` (the PDF) to one recipient. The same key again answers the first result
        (``replayed``) without delivering twice; the same key for other content raises ApiError 409."""
        response = await self.api.request(
            "POST",
            "/diffusion/documents",
            params={"agency_id": agency_id},
            headers={"Idempotency-Key": idempotency_key},
            data={"employee_id": str(recipient_id), "protection": protection.value, "title": title},
            files={"file": (Path(file_name).name or "document.pdf", data, "application/pdf")},
            timeout=timeout,  # sealing a large PDF on a busy server takes longer than a search
        )

        def build(body: Mapping[str, Any]) -> SentDocument:
            warnings = body.get("warnings") or []
            return SentDocument(
                DocumentRow.from_json(body["document"]),
                tuple(str(w) for w in warnings),
                response.status_code == 200,
            )

        return decode(response, build)

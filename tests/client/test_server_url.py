"""The server address typed in "Serveur distant": normalised, or refused with a French message."""

from __future__ import annotations

import pytest

from coffreo_desktop.client.errors import (
    InvalidServerUrl,
    is_cleartext_url,
    is_loopback_url,
    normalize_server_url,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("serveur.exemple.fr", "https://serveur.exemple.fr"),
        ("  Serveur.Exemple.FR  ", "https://serveur.exemple.fr"),
        ("https://serveur.exemple.fr/", "https://serveur.exemple.fr"),
        ("https://serveur.exemple.fr:8443", "https://serveur.exemple.fr:8443"),
        ("https://serveur.exemple.fr/coffreo/", "https://serveur.exemple.fr/coffreo"),
        ("https://serveur.exemple.fr/api/v1", "https://serveur.exemple.fr"),
        ("http://intranet.groupe.local", "http://intranet.groupe.local"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("localhost:8000/", "http://localhost:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("10.1.2.3", "https://10.1.2.3"),
        ("coffreo", "https://coffreo"),
        ("société.fr", "https://xn--socit-esab.fr"),
    ],
)
def test_typed_address_becomes_a_base_url(typed: str, expected: str) -> None:
    assert normalize_server_url(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "serveur exemple.fr",
        "ftp://serveur.exemple.fr",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "https://:8443",
        "serveur.exemple.fr:port",
        "serveur.exemple.fr:0",
        "serveur.exemple.fr:70000",
        "https://alice:secret@serveur.exemple.fr",
        "https://serveur.exemple.fr/?next=1",
        "https://serveur.exemple.fr/#ancre",
        "https://-serveur.exemple.fr",
        "https://serveur_exemple.fr",
        "999.1.1.1",
        "10.0.0",
        "!!!",
    ],
)
def test_malformed_address_is_refused_in_french(typed: str) -> None:
    with pytest.raises(InvalidServerUrl) as caught:
        normalize_server_url(typed)
    assert str(caught.value).startswith("Adresse de serveur invalide : ")


def test_invalid_server_url_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        normalize_server_url("mailto:support@coffreo.fr")


def test_cleartext_is_flagged_only_towards_another_machine() -> None:
    assert is_cleartext_url("http://intranet.groupe.local")
    assert not is_cleartext_url("https://serveur.exemple.fr")
    assert not is_cleartext_url("http://127.0.0.1:8765")
    assert is_loopback_url("http://localhost:8000")
    assert not is_loopback_url("https://serveur.exemple.fr")

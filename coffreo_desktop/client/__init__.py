"""The desktop's core without Qt: API client, session and credentials, settings and paths.

The GUI builds on it; it never imports PySide6 nor the server (import-linter checks both).
"""

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import (
    ApiError,
    InvalidServerUrl,
    ServerUnreachable,
    SessionExpired,
    normalize_server_url,
)
from coffreo_desktop.client.models import AgencyInfo, BrandInfo, Me, SupportInfo, Tokens
from coffreo_desktop.client.session import Session
from coffreo_desktop.client.settings import Settings

__all__ = [
    "AgencyInfo",
    "ApiClient",
    "ApiError",
    "BrandInfo",
    "CredentialStore",
    "InvalidServerUrl",
    "Me",
    "ServerUnreachable",
    "Session",
    "SessionExpired",
    "Settings",
    "SupportInfo",
    "Tokens",
    "normalize_server_url",
]

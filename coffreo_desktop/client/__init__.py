"""The desktop's core without Qt: API client, session and credentials, settings and paths.

The GUI builds on it; it never imports PySide6 nor the server (import-linter checks both). Import the
modules themselves (``client.api``, ``client.settings`` ...): this file stays empty so that reading the
settings at start-up does not load httpx and keyring before the embedded backend is launched.
"""

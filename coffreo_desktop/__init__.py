"""Coffreo Desktop: a Qt desktop client for HR document delivery and the backend it talks to."""

__version__ = "0.1.0"

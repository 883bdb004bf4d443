"""The PySide6 desktop: a thin layer over ``client/`` that shows state and forwards intent.

Entry point: :func:`coffreo_desktop.gui.app.main`. Forms in ``forms/`` are generated from ``ui/*.ui``.
"""

"""The PySide6 desktop: a thin layer over ``client/`` that shows state and forwards intent.

Entry point: :func:`coffreo_desktop.gui.app.main`. Forms in ``forms/`` are generated from ``ui/*.ui``.
"""

from coffreo_desktop.gui import qt_runtime  # noqa: F401  first: see its docstring (PySide6 6.12 on 3.11)

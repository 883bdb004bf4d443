"""``python -m coffreo_desktop.server``: the same commands as ``coffreo-server``."""

from coffreo_desktop.server.cli import main

raise SystemExit(main())

"""`python -m coffreo_desktop` starts the desktop application."""

from coffreo_desktop.gui.app import main

raise SystemExit(main())

"""`python -m coffreo_desktop` starts the desktop application."""

if __name__ == "__main__":  # guarded: worker processes started with "spawn" re-import this module
    from coffreo_desktop.gui.app import main

    raise SystemExit(main())

"""Forms generated from ui/*.ui by packaging/build_ui.py. Do not edit: edit the .ui file."""

"""PDF handling on the server: validation of uploads (and later sealing and signing)."""

from coffreo_desktop.server.pdf.validate import PdfRefusal, PdfReport, check_pdf, format_size

__all__ = ["PdfRefusal", "PdfReport", "check_pdf", "format_size"]

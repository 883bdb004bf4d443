"""Numbers from PRODUCT.md "Rules and numbers", in one place."""

from __future__ import annotations

from datetime import timedelta

KB = 1024
MB = 1024 * 1024

#: Diffusion libre and deposits: 500 KB advised (a warning), above 5 MB refused.
ADVISED_FILE_SIZE = 500 * KB
MAX_FILE_SIZE = 5 * MB
#: Campaign documents: 2 MB advised and enforced by the wizard, 5 MB absolute.
CAMPAIGN_FILE_SIZE = 2 * MB

CAMPAIGN_RETROACTIVE_MONTHS = 3
REMINDER_INTERVAL = timedelta(hours=24)
#: Employees reminded per request (a selection, or one batch of "relancer tous"): each batch is its own
#: transaction and answers well inside the desktop's HTTP timeout (about 2.4 ms per person).
REMINDER_BATCH = 500
#: Client companies per bulk reminder request (each has a few users): the desktop sends a larger selection
#: in several requests, each its own transaction.
CLIENT_REMINDER_BATCH = 200
ADVANCE_DIGEST_HOUR = 11
ADVANCE_DIGEST_TZ = "Europe/Paris"
DISPLAY_TZ = "Europe/Paris"
#: A mission contract is due to the worker within 2 working days.
MISSION_CONTRACT_DUE_WORKING_DAYS = 2
#: Payslips stay in the vault 50 years, or until the worker is 75.
PAYSLIP_RETENTION_YEARS = 50
PAYSLIP_RETENTION_AGE = 75

#: Login throttling: after this many failures within the window, wait before the next try.
LOGIN_FAILURES_BEFORE_THROTTLE = 5
LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
LOGIN_THROTTLE_DELAY = timedelta(minutes=5)

ACCESS_TOKEN_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=30)
INVITATION_TTL = timedelta(days=7)

MIN_PASSWORD_LENGTH = 12

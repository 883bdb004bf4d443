"""The few pages the server serves to a browser: where the links in mails lead (invitations)."""

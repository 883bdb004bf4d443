"""Undo and redo of the rights matrix (F6.1): each saved cell is a command whose undo sends the reverse
change to the server and whose redo sends it again; the page says what each did."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from coffreo_desktop.client.admin import UserRights
from coffreo_desktop.domain.rights import Right


class Send(Protocol):
    """The page's ``send``: one cell to the server, with why it is sent."""

    def __call__(
        self, agency_id: int, user: UserRights, right: Right, granted: bool, *, kind: str
    ) -> None: ...


#: Why a cell is sent: the user's toggle, or the undo/redo of one (whose status lines differ).
TOGGLE, UNDO, REDO = "toggle", "undo", "redo"


class ToggleCommand(QUndoCommand):
    """A cell changed on the server; undo sends the reverse change, redo the change again."""

    def __init__(self, send: Send, agency_id: int, user: UserRights, right: Right, granted: bool) -> None:
        super().__init__(f"{right.value} {user.full_name}")
        self.send, self.agency_id, self.user, self.right, self.granted = send, agency_id, user, right, granted
        self._first = True  # pushed once the server confirmed: the first redo has already happened

    def undo(self) -> None:
        self.send(self.agency_id, self.user, self.right, not self.granted, kind=UNDO)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.send(self.agency_id, self.user, self.right, self.granted, kind=REDO)

"""The signed-in user and the organisation they may see."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from coffreo_desktop.server.api.rules import DB, Authenticated, Principal, requires
from coffreo_desktop.server.db.models import StaffUser
from coffreo_desktop.server.services import org

router = APIRouter(tags=["organisation"])


# The service's dataclasses are the response schema: FastAPI validates and documents them as is.
@router.get("/me", response_model=org.MeView)
def me(who: Principal = requires(Authenticated()), db: Session = DB) -> org.MeView:
    user = db.get(StaffUser, who.id)
    assert user is not None  # authenticate() loaded it a moment ago in this transaction
    return org.describe_user(db, user, who.rights)

"""Staff authentication (F1.1): login, throttling, rotating refresh tokens, logout, invitations."""

from __future__ import annotations

from sqlalchemy import select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import OutboxMail, StaffUser
from coffreo_desktop.server.services import auth
from tests.support import PASSWORD, ServerHarness

TOKEN = "/api/v1/auth/token"


def login(server: ServerHarness, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return server.client.post(TOKEN, json={"email": email, "password": password})


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_login_gives_tokens_that_open_me(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr", {"PAR11": ()})
    response = login(server, "  Claire@Exemple.fr ")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    me = server.client.get("/api/v1/me", headers=bearer(body))
    assert me.status_code == 200 and me.json()["email"] == "claire@exemple.fr"


def test_wrong_password_is_refused_in_french_as_problem_json(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    response = login(server, "claire@exemple.fr", "mauvais")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["detail"] == "Adresse e-mail ou mot de passe incorrect."
    unknown = login(server, "personne@exemple.fr", "mauvais")
    assert unknown.json() == response.json()  # an unknown address is not revealed


def test_repeated_failures_throttle_then_release_after_the_delay(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    for _ in range(5):
        assert login(server, "claire@exemple.fr", "mauvais").status_code == 401
    throttled = login(server, "claire@exemple.fr")  # even the right password waits
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "login_throttled"
    assert "Réessayez dans 5 minutes" in throttled.json()["detail"]
    assert 0 < int(throttled.headers["retry-after"]) <= 301
    server.clock.advance(minutes=5, seconds=2)
    assert login(server, "claire@exemple.fr").status_code == 200


def test_access_token_expires_after_fifteen_minutes(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    headers = server.login("claire@exemple.fr")
    assert server.client.get("/api/v1/me", headers=headers).status_code == 200
    server.clock.advance(minutes=15, seconds=1)
    expired = server.client.get("/api/v1/me", headers=headers)
    assert expired.status_code == 401 and expired.json()["code"] == "unauthenticated"


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    first = login(server, "claire@exemple.fr").json()
    second = server.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second_tokens = second.json()
    assert second_tokens["refresh_token"] != first["refresh_token"]
    assert server.client.get("/api/v1/me", headers=bearer(first)).status_code == 401  # old access is dead
    replay = server.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json()["code"] == "invalid_refresh_token"
    # The replay revoked the whole session, including the legitimate newer pair.
    assert server.client.get("/api/v1/me", headers=bearer(second_tokens)).status_code == 401
    again = server.client.post("/api/v1/auth/refresh", json={"refresh_token": second_tokens["refresh_token"]})
    assert again.status_code == 401


def test_logout_revokes_the_session(server: ServerHarness) -> None:
    server.make_user("claire@exemple.fr")
    tokens = login(server, "claire@exemple.fr").json()
    assert (
        server.client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 204
    )
    assert server.client.get("/api/v1/me", headers=bearer(tokens)).status_code == 401
    refused = server.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401
    # Idempotent, and silent about unknown tokens.
    assert server.client.post("/api/v1/auth/logout", json={"refresh_token": "rt_inconnu"}).status_code == 204


def test_tokens_are_stored_hashed_only(server: ServerHarness) -> None:
    from coffreo_desktop.server.db.models import AuthToken

    server.make_user("claire@exemple.fr")
    tokens = login(server, "claire@exemple.fr").json()
    with server.ctx.db.reader() as s:
        stored = set(s.scalars(select(AuthToken.token_hash)))
    assert tokens["access_token"] not in stored and tokens["refresh_token"] not in stored


def _invite(server: ServerHarness, email: str) -> str:
    server.make_user(email, {"PAR11": ()}, password=None)
    with server.session() as s, s.begin():
        user = s.scalars(select(StaffUser).where(StaffUser.email == email)).one()
        return auth.create_invitation(s, user, now=server.clock())


def test_invitation_link_lets_the_person_choose_a_password_once(server: ServerHarness) -> None:
    token = _invite(server, "nouveau@exemple.fr")
    described = server.client.get(f"/api/v1/auth/invitations/{token}")
    assert described.status_code == 200 and described.json()["email"] == "nouveau@exemple.fr"
    weak = server.client.post(f"/api/v1/auth/invitations/{token}/accept", json={"password": "court"})
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    ok = server.client.post(f"/api/v1/auth/invitations/{token}/accept", json={"password": PASSWORD})
    assert ok.status_code == 204
    assert login(server, "nouveau@exemple.fr").status_code == 200
    reused = server.client.post(f"/api/v1/auth/invitations/{token}/accept", json={"password": PASSWORD + "!"})
    assert reused.status_code == 410 and reused.json()["code"] == "invitation_used"
    assert "déjà été utilisé" in reused.json()["detail"]


def test_expired_and_unknown_invitations_are_refused(server: ServerHarness) -> None:
    token = _invite(server, "tardif@exemple.fr")
    server.clock.advance(days=8)
    expired = server.client.post(f"/api/v1/auth/invitations/{token}/accept", json={"password": PASSWORD})
    assert expired.status_code == 410 and expired.json()["code"] == "invitation_expired"
    unknown = server.client.get("/api/v1/auth/invitations/inv_nimporte-quoi")
    assert unknown.status_code == 404 and unknown.json()["code"] == "invitation_unknown"


def test_an_invited_user_without_password_cannot_log_in(server: ServerHarness) -> None:
    _invite(server, "sans-mdp@exemple.fr")
    assert login(server, "sans-mdp@exemple.fr", "").status_code == 401


def test_health_and_support_are_public(server: ServerHarness) -> None:
    health = server.client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["schema_revision"]
    info = server.client.get("/api/v1/support").json()
    assert "@" in info["email"] and info["phone"]


def test_contact_message_goes_to_support_through_the_outbox_and_is_limited(server: ServerHarness) -> None:
    body = {"email": "jeanne@exemple.fr", "subject": "Question", "message": "Bonjour, une question."}
    first = server.client.post("/api/v1/support/messages", json=body)
    assert first.status_code == 202 and first.json()["reference"].startswith("CT-")
    with server.ctx.db.reader() as s:
        mail = s.scalars(select(OutboxMail).where(OutboxMail.kind == "support")).one()
    assert mail.to_addr == server.settings.support_email and "jeanne@exemple.fr" in mail.body_text
    for _ in range(4):
        server.client.post("/api/v1/support/messages", json=body)
    limited = server.client.post("/api/v1/support/messages", json=body)
    assert limited.status_code == 429 and limited.json()["code"] == "support_throttled"
    bad = server.client.post("/api/v1/support/messages", json={**body, "email": "pas-une-adresse"})
    assert bad.status_code in (422, 429)


def test_validation_errors_are_french_problem_json(server: ServerHarness) -> None:
    response = server.client.post(TOKEN, json={"email": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["detail"] == "Requête invalide : « mot de passe » est obligatoire."
    assert body["errors"] == [{"field": "password", "message": "« mot de passe » est obligatoire"}]


def test_validation_errors_name_the_limit_in_french(server: ServerHarness) -> None:
    response = server.client.post(TOKEN, json={"email": "x" * 400, "password": 12})
    details = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert response.status_code == 422
    assert details["password"] == "« mot de passe » doit être un texte"
    assert details["email"] == "« adresse e-mail » : 254 caractères au plus"
    assert all(not any(w in m for w in ("should", "Field", "Input")) for m in details.values())


def test_validation_limits_are_written_the_french_way(server: ServerHarness) -> None:
    lyon = server.agency_id("LYO")
    server.make_user("chef.limites@exemple.fr", {"LYO": (Right.ADMIN,)})
    headers = server.login("chef.limites@exemple.fr")
    body = {"employee_ids": list(range(100_001))}

    response = server.client.post(
        "/api/v1/admin/employees/reminders", params={"agency_id": lyon}, json=body, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "Requête invalide : « salariés » : 100\u202f000 éléments au plus."


def test_the_link_in_the_invitation_mail_opens_a_page_to_choose_the_password(server: ServerHarness) -> None:
    token = _invite(server, "navigateur@exemple.fr")
    form = server.client.get(f"/invitation/{token}")
    assert form.status_code == 200 and "text/html" in form.headers["content-type"]
    assert "Créer votre mot de passe" in form.text and "navigateur@exemple.fr" in form.text
    mismatch = server.client.post(
        f"/invitation/{token}", data={"password": PASSWORD, "confirmation": "autre"}
    )
    assert mismatch.status_code == 422 and "diffèrent" in mismatch.text
    weak = server.client.post(f"/invitation/{token}", data={"password": "court", "confirmation": "court"})
    assert weak.status_code == 422 and "12 caractères" in weak.text
    done = server.client.post(f"/invitation/{token}", data={"password": PASSWORD, "confirmation": PASSWORD})
    assert done.status_code == 200 and "Ouvrez Coffreo Desktop" in done.text
    assert login(server, "navigateur@exemple.fr").status_code == 200
    again = server.client.get(f"/invitation/{token}")
    assert again.status_code == 410 and "déjà été utilisé" in again.text

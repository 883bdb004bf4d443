"""The FastAPI app factory and ``prepare`` (data folder checks and migrations, run before serving)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from coffreo_desktop import __version__
from coffreo_desktop.server.api import problems
from coffreo_desktop.server.api.routers import API_PREFIX, ROUTERS, WEB_ROUTERS
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db import migrate
from coffreo_desktop.server.db.engine import Database
from coffreo_desktop.server.errors import DataDirError
from coffreo_desktop.server.jobs import start_jobs

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def prepare(settings: ServerSettings) -> str:
    """Create or check the data folder and bring the database to the current schema. Returns the revision.

    A folder written by a newer version, or a damaged database, raises DataDirError and changes nothing.
    """
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise DataDirError(
            f"Impossible de créer le dossier de données {settings.data_dir} : {exc.strerror}."
        ) from exc
    if not os.access(settings.data_dir, os.W_OK):
        raise DataDirError(f"Le dossier de données {settings.data_dir} n'est pas accessible en écriture.")
    db = Database(settings.db_url)
    try:
        return migrate.upgrade(db.engine)
    finally:
        db.dispose()


def create_app(settings: ServerSettings, *, ctx: AppContext | None = None, jobs: bool = True) -> FastAPI:
    """The API. With ``jobs`` the scheduled work (outbox, digests, campaigns) runs while the app is served."""
    ctx = ctx or AppContext.build(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = start_jobs(ctx) if jobs else None
        try:
            yield
        finally:
            if stop is not None:
                await run_in_threadpool(stop)
            await run_in_threadpool(ctx.db.dispose)

    app = FastAPI(
        lifespan=lifespan,
        title="Coffreo",
        version=__version__,
        description="API du coffre-fort numérique et de la diffusion de documents RH.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx
    problems.install(app)

    @app.middleware("http")
    async def database_session(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # One transaction per request: committed when the answer is a success, rolled back otherwise.
        factory = ctx.db.reader if request.method in READ_METHODS else ctx.db.writer
        session = factory()
        request.state.db = session
        try:
            response = await call_next(request)
            if response.status_code < 400:
                await run_in_threadpool(session.commit)
            else:
                await run_in_threadpool(session.rollback)
            return response
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)

    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for router in WEB_ROUTERS:
        app.include_router(router)
    return app

"""The sending process the SIGKILL test kills: ``python -m tests.client.diffusion_kill_child URL EMAIL
FOLDER KEYHEX (start ITEMS.json | resume)``. It sends like the app does (journal, then send_batch) and
prints one line per answer, so that the test can kill it part-way."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from coffreo_desktop.client.diffusion_send import SendItem, SendJournal, SendProgress, send_batch
from tests.client.diffusion_backend import diffusion_api


async def main(url: str, email: str, folder: Path, key: bytes, mode: str, items_path: str | None) -> int:
    if mode == "start":
        assert items_path is not None
        items = [SendItem.from_json(item) for item in json.loads(Path(items_path).read_text())]
        agency_id = int(json.loads(Path(items_path).with_suffix(".agency").read_text()))
        journal = SendJournal.create(folder, key, agency_id, "Paris 11", items)
    else:
        (found,) = SendJournal.unfinished(folder, key)
        journal = SendJournal.open(found.path, key)  # type: ignore[arg-type]

    def progress(p: SendProgress) -> None:
        if p.state is not None and p.state.value != "pending":
            print(p.done, flush=True)

    api = await diffusion_api(url, email)
    try:
        report = await send_batch(api, journal, on_progress=progress)
    finally:
        await api.api.aclose()
        journal.close()
    print(
        json.dumps(
            {"reason": report.reason.value, "counts": {k.value: v for k, v in journal.counts().items()}}
        )
    )
    return 0 if report.finished else 1


if __name__ == "__main__":
    url, email, folder, key_hex, mode = sys.argv[1:6]
    items_path = sys.argv[6] if len(sys.argv) > 6 else None
    sys.exit(asyncio.run(main(url, email, Path(folder), bytes.fromhex(key_hex), mode, items_path)))

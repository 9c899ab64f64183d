"""The Bot API stub in its own process, so a benchmark's bot does not share its CPU.

    python bench/stub_server.py --users 100000 [--rate-limits]

Prints one JSON line {"base_url", "base_file_url", "control_url"} once ready. The control
server answers GET /sent with the successful sendMessage calls ([monotonic time, chat id])
and the number of 429s, and POST /reset to forget them.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from aiohttp import web

from botapi_stub import BotApiStub


async def serve(users: int, rate_limits: bool) -> None:
    async with BotApiStub(
        rate_limits=rate_limits, global_per_second=30, per_chat_per_second=1
    ) as stub:
        for user_id in range(1, users + 1):
            stub.user(user_id, first_name=f"User {user_id}")

        async def sent(_request: web.Request) -> web.Response:
            calls = stub.calls
            return web.json_response(
                {
                    "sent": [
                        [call.time, int(call.params["chat_id"])]
                        for call in calls
                        if call.method == "sendMessage" and call.ok
                    ],
                    "http_429": sum(1 for call in calls if call.error_code == 429),
                }
            )

        async def reset(_request: web.Request) -> web.Response:
            stub.calls.clear()
            return web.json_response({"ok": True})

        control = web.Application()
        control.add_routes([web.get("/sent", sent), web.post("/reset", reset)])
        runner = web.AppRunner(control, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(
            json.dumps(
                {
                    "base_url": stub.base_url,
                    "base_file_url": stub.base_file_url,
                    "control_url": f"http://127.0.0.1:{port}",
                }
            ),
            flush=True,
        )
        await asyncio.Event().wait()  # until the benchmark terminates this process


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--rate-limits", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.users, arguments.rate_limits))

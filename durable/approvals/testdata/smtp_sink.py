#!/usr/bin/env python3
"""Test-only SMTP server for the approvals e-mail tests, built on aiosmtpd (Debian package
python3-aiosmtpd). Listens on 127.0.0.1 on a free port, prints "PORT <n>" once it accepts
connections, exits when its parent does, and appends every received message to OUT as one JSON line
{"mail_from", "rcpt_tos", "data"}. With --reject-rcpt every recipient is refused (550).

Usage: smtp_sink.py OUT [--reject-rcpt]
"""
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out, reject_rcpt):
        self.out = out
        self.reject_rcpt = reject_rcpt

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 OK"


async def main():
    out = sys.argv[1]
    handler = Sink(out, "--reject-rcpt" in sys.argv[2:])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    # Exit with the test process even when it dies without stopping us.
    parent = os.getppid()
    async with server:
        while os.getppid() == parent:
            await asyncio.sleep(0.5)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass

"""The restaurant's protocol on Python's asyncio: one thread, one task per diner.

Started by `cargo run --release --example doors -- --bench`, as the benchmark's Python row:

    python3 server.py MINUTE_MS PATIENCE_MS

It listens on a free port of 127.0.0.1 and prints {"port": N}; when its standard input
closes, it closes the house (no one else comes in, every order taken is finished) and
prints its counts as one line of JSON, as the Rust servers do.
"""

import asyncio
import json
import sys

MAX_LINE = 256
MENU = {"water": 0, "soup": 1, "pasta": 2, "souffle": 3}
TOO_LONG = b"ERROR line too long\n"
TOO_SLOW = b"ERROR too slow\n"


class House:
    def __init__(self, minute, patience):
        self.minute = minute
        self.patience = patience
        self.closing = False
        self.idle = set()  # the tasks waiting for a diner's next line
        self.counts = dict(seated=0, taken=0, served=0, walked_out=0, errors=0, shown_out=0)

    async def answer(self, line):
        try:
            request = line.decode()
        except UnicodeDecodeError:
            return b"ERROR not UTF-8\n"
        request = request.removesuffix("\r")
        word, _, dish = request.partition(" ")
        if word == "ORDER" and dish in MENU:
            self.counts["taken"] += 1
            await asyncio.sleep(MENU[dish] * self.minute)
            return f"SERVED {dish} {MENU[dish]}\n".encode()
        if word == "ORDER":
            return f"ERROR no {dish} on the menu\n".encode()
        if request == "BILL":
            return b"PAID\n"
        return b"ERROR say ORDER <dish>, BILL or CHAT\n"

    async def next_line(self, reader):
        """The diner's next line without its newline, a reply that shows them out, or None."""
        task = asyncio.current_task()
        self.idle.add(task)
        try:
            line = await asyncio.wait_for(reader.readuntil(b"\n"), self.patience)
            return line[:-1], None
        except asyncio.TimeoutError:
            return None, TOO_SLOW
        except asyncio.LimitOverrunError:
            return None, TOO_LONG
        except (asyncio.IncompleteReadError, ConnectionError):
            return None, None
        finally:
            self.idle.discard(task)

    async def serve_diner(self, reader, writer):
        self.counts["seated"] += 1
        try:
            while not self.closing:
                line, door = await self.next_line(reader)
                if line is None and door is None:
                    return
                reply = door or await self.answer(line)
                writer.write(reply)
                try:
                    await writer.drain()
                    delivered = True
                except ConnectionError:
                    delivered = False
                self.note(reply, delivered)
                if door or not delivered:
                    return
        except asyncio.CancelledError:
            return  # closing time, while the diner had no order in the kitchen
        finally:
            writer.close()

    def note(self, reply, delivered):
        if reply.startswith(b"SERVED"):
            self.counts["served" if delivered else "walked_out"] += 1
        if reply.startswith(b"ERROR"):
            self.counts["errors"] += 1
        if reply in (TOO_LONG, TOO_SLOW):
            self.counts["shown_out"] += 1


async def main(minute_ms, patience_ms):
    house = House(minute_ms / 1000, patience_ms / 1000)
    diners = set()

    async def seat(reader, writer):
        task = asyncio.current_task()
        diners.add(task)
        try:
            await house.serve_diner(reader, writer)
        finally:
            diners.discard(task)

    server = await asyncio.start_server(seat, "127.0.0.1", 0, limit=MAX_LINE, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until standard input closes
    server.close()  # the door is shut: nobody else comes in
    house.closing = True
    for task in list(house.idle):
        task.cancel()
    while diners:
        await asyncio.gather(*diners, return_exceptions=True)
    print(json.dumps(house.counts), flush=True)


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))

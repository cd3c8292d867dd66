"""What /proc says about processes (Linux): their children, the TCP connections each holds on
a port, the CPU time each has used."""

from __future__ import annotations

import os
from pathlib import Path

LISTEN, ESTABLISHED = "0A", "01"


def children(pid: int) -> list[int]:
    """The direct child processes of `pid`."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def _sockets(pid: int) -> set[str]:
    inodes: set[str] = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _local_port_states(port: int) -> dict[str, str]:
    """inode → TCP state for sockets whose local port is `port`."""
    states: dict[str, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if int(local.rsplit(":", 1)[1], 16) == port:
                states[inode] = state
    return states


def server_connections(pids: list[int], port: int) -> dict[int, int]:
    """For each process that listens on `port`: how many accepted connections it holds."""
    states = _local_port_states(port)
    counts: dict[int, int] = {}
    for pid in pids:
        mine = [states[i] for i in _sockets(pid) if i in states]
        if LISTEN in mine:
            counts[pid] = mine.count(ESTABLISHED)
    return counts


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far (threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # it ended
        fields = stat.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            todo.extend(children(current))
        except OSError:
            continue
    return found

#!/usr/bin/env python3
"""A lockstorm external client (docs/clients.md) on the DataStax Python driver.

It speaks lockstorm's JSON-lines protocol on stdin/stdout and implements two lock recipes,
chosen by `--recipe`:

  lwt-ttl-plain-release  the second incident's lock: INSERT ... IF NOT EXISTS USING TTL to
                         acquire (falling back to flipping a released flag under Paxos), and a
                         plain UPDATE lock = false to release
  lwt                    every step a lightweight transaction: INSERT IF NOT EXISTS USING TTL,
                         DELETE IF owner = ?, reads at the serial level

The driver is pinned to the one contact point lockstorm gives it: a white-list load-balancing
policy keeps every other node (found through system.peers) out of every query plan, so the
faults lockstorm puts on this client's link are the ones its requests meet.
"""

import argparse
import json
import re
import sys
import time

from cassandra import ConsistencyLevel, Unavailable
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import FallthroughRetryPolicy, RoundRobinPolicy, WhiteListRoundRobinPolicy
from cassandra.query import SimpleStatement

ATTEMPTS_PER_PROCESS = 1_000_000


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def describe(err):
    return f"{type(err).__name__}: {err}".replace("\n", " ")[:300]


def token_to_number(owner):
    process, attempt = owner[1:].split("-")
    return int(process) * ATTEMPTS_PER_PROCESS + int(attempt)


def number_to_token(n):
    return f"p{n // ATTEMPTS_PER_PROCESS}-{n % ATTEMPTS_PER_PROCESS}"


class Maybe(Exception):
    """The operation may have taken effect: lockstorm records it `info`."""

    def __init__(self, err, writes):
        super().__init__(describe(err))
        self.writes = writes


class Definitely(Exception):
    """The operation definitely did not take effect: lockstorm records it `fail`."""


class Stamps:
    """Plain-write timestamps (μs) as lockstorm's `timestamps` setting asks; None: the server stamps."""

    def __init__(self, mode):
        self.mode = mode
        self.last = 0
        m = re.fullmatch(r"(skewed|quantized):([+-]?\d+)ms", mode)
        self.kind, self.ms = (m.group(1), int(m.group(2))) if m else (mode, 0)
        if self.kind == "tie":
            log("timestamps: tie needs the row's own stamp read back first; this client stamps like the driver instead")

    def next(self):
        now_us = time.time_ns() // 1000
        if self.kind == "server":
            return None
        if self.kind == "quantized":
            # Every write in the same unit gets the same stamp, on purpose.
            unit = self.ms * 1000
            return now_us // unit * unit
        offset = self.ms * 1000 if self.kind == "skewed" else 0
        # Strictly increasing per client, as a driver's generator is.
        self.last = max(now_us + offset, self.last + 1)
        return self.last


class Client:
    def __init__(self, recipe, pinned):
        self.recipe = recipe
        self.pinned = pinned
        self.cluster = None
        self.session = None
        self.stamps = None

    # --- connection -------------------------------------------------------------------------

    def connect(self, msg, keyspace):
        host, port = msg["contact_points"][0].rsplit(":", 1)
        s = msg["settings"]
        self.s = s
        self.ttl = s["ttl_s"]
        timeout = s["op_timeout_ms"] / 1000.0
        # Only the given contact point: peers the driver learns of are never used.
        balancing = WhiteListRoundRobinPolicy([host]) if self.pinned else RoundRobinPolicy()
        profile = ExecutionProfile(
            load_balancing_policy=balancing,
            retry_policy=FallthroughRetryPolicy(),
            consistency_level=ConsistencyLevel.name_to_value[s["write_cl"]],
            serial_consistency_level=ConsistencyLevel.name_to_value[s["serial_cl"]],
            request_timeout=timeout,
        )
        self.cluster = Cluster(
            contact_points=[host],
            port=int(port),
            execution_profiles={EXEC_PROFILE_DEFAULT: profile},
            schema_metadata_enabled=False,
            token_metadata_enabled=False,
            connect_timeout=max(timeout, 5.0),
            protocol_version=4,
        )
        self.session = self.cluster.connect(keyspace)
        # Plain writes carry the stamp Stamps gives them (USING TIMESTAMP), or none: the coordinator's.
        self.session.use_client_timestamp = False
        self.stamps = Stamps(s["timestamps"])
        log(f"connected to {host}:{port} (recipe {self.recipe}, pinned={self.pinned})")

    def close(self):
        if self.cluster is not None:
            self.cluster.shutdown()

    def level(self, name):
        return ConsistencyLevel.name_to_value[name]

    def run(self, cql, params, cl):
        return self.session.execute(SimpleStatement(cql, consistency_level=self.level(cl)), params)

    # --- the recipes ------------------------------------------------------------------------

    def setup(self, keyspace):
        if self.recipe == "lwt":
            cql = f"CREATE TABLE IF NOT EXISTS {keyspace}.lwt_locks (id text PRIMARY KEY, owner text)"
        else:
            cql = f"CREATE TABLE IF NOT EXISTS {keyspace}.flag_locks (id text PRIMARY KEY, lock boolean, revision bigint)"
        self.session.execute(SimpleStatement(cql, consistency_level=ConsistencyLevel.ALL), timeout=60)

    def write(self, cql, params, writes):
        """A write or LWT: an error may hide a write that landed, unless the coordinator refused it."""
        try:
            return self.run(cql, params, self.s["write_cl"])
        except Unavailable as err:
            # Refused by the coordinator before anything was written (and nothing earlier in this
            # operation took effect: a first LWT that applied ends the operation).
            raise Definitely(describe(err))
        except Exception as err:
            raise Maybe(err, writes)

    def acquire(self, key, owner):
        ttl_write = self.ttl if self.ttl > 0 else None
        if self.recipe == "lwt":
            w = {"table": "lwt_locks", "key": key, "cells": {"owner": owner}, "timestamp": None, "ttl": ttl_write}
            rs = self.write("INSERT INTO lwt_locks (id, owner) VALUES (%s, %s) IF NOT EXISTS USING TTL %s", (key, owner, self.ttl), [w])
            row = rs.one()
            if row.applied:
                return {"type": "ok", "writes": [w]}
            return {"type": "fail", "saw": {"owner": row.owner}}
        revision = 2 * token_to_number(owner)
        w = {"table": "flag_locks", "key": key, "cells": {"lock": True, "revision": revision}, "timestamp": None, "ttl": ttl_write}
        rs = self.write(
            "INSERT INTO flag_locks (id, lock, revision) VALUES (%s, true, %s) IF NOT EXISTS USING TTL %s", (key, revision, self.ttl), [w]
        )
        row = rs.one()
        if row.applied:
            return {"type": "ok", "writes": [w]}
        if row.lock is not False:
            return {"type": "fail", "saw": {"owner": self.flag_owner(row.lock, row.revision)}}
        # A released row still exists: take it by flipping its flag under Paxos.
        rs = self.write("UPDATE flag_locks USING TTL %s SET lock = true, revision = %s WHERE id = %s IF lock = false", (self.ttl, revision, key), [w])
        row = rs.one()
        if row.applied:
            return {"type": "ok", "writes": [w]}
        return {"type": "fail", "saw": {"owner": self.flag_owner(row.lock, getattr(row, "revision", None))}}

    def release(self, key, owner):
        if self.recipe == "lwt":
            w = {"table": "lwt_locks", "key": key, "cells": {}, "timestamp": None, "ttl": None}
            rs = self.write("DELETE FROM lwt_locks WHERE id = %s IF owner = %s", (key, owner), [w])
            row = rs.one()
            if row.applied:
                return {"type": "ok", "writes": [w]}
            return {"type": "fail", "saw": {"owner": getattr(row, "owner", None)}}
        revision = 2 * token_to_number(owner) + 1
        stamp = self.stamps.next()
        w = {"table": "flag_locks", "key": key, "cells": {"lock": False, "revision": revision}, "timestamp": stamp, "ttl": None}
        if stamp is None:
            self.write("UPDATE flag_locks SET lock = false, revision = %s WHERE id = %s", (revision, key), [w])
        else:
            self.write("UPDATE flag_locks USING TIMESTAMP %s SET lock = false, revision = %s WHERE id = %s", (stamp, revision, key), [w])
        return {"type": "ok", "writes": [w]}

    def read(self, key, cl):
        try:
            if self.recipe == "lwt":
                row = self.run("SELECT owner FROM lwt_locks WHERE id = %s", (key,), cl or self.s["serial_cl"]).one()
                if row is None:
                    return {"type": "ok", "value": {"owner": None, "row": None}}
                return {"type": "ok", "value": {"owner": row.owner, "row": {"owner": row.owner}}}
            row = self.run("SELECT lock, revision FROM flag_locks WHERE id = %s", (key,), cl or self.s["read_cl"]).one()
        except Exception as err:
            # A read changes nothing.
            raise Definitely(describe(err))
        if row is None:
            return {"type": "ok", "value": {"owner": None, "row": None}}
        return {"type": "ok", "value": {"owner": self.flag_owner(row.lock, row.revision), "row": {"lock": row.lock, "revision": row.revision}}}

    @staticmethod
    def flag_owner(lock, revision):
        if lock is True and revision is not None:
            return number_to_token(revision // 2)
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=["lwt-ttl-plain-release", "lwt"], default="lwt-ttl-plain-release")
    # Only for lockstorm's own test that it notices a client going around its contact point.
    parser.add_argument("--unpinned", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    client = Client(args.recipe, pinned=not args.unpinned)
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "shutdown":
            break
        if kind == "setup":
            client.connect(msg, None)
            client.setup(msg["keyspace"])
            say({"type": "setup_ok"})
        elif kind == "init":
            client.connect(msg, msg["keyspace"])
            say({"type": "init_ok"})
        elif kind == "invoke":
            rid = msg["id"]
            try:
                if msg["f"] == "acquire":
                    reply = client.acquire(msg["key"], msg["owner"])
                elif msg["f"] == "release":
                    reply = client.release(msg["key"], msg["owner"])
                else:
                    reply = client.read(msg["key"], msg.get("cl"))
            except Maybe as err:
                reply = {"type": "info", "error": str(err), "writes": err.writes}
            except Definitely as err:
                reply = {"type": "fail", "error": str(err)}
            say({**reply, "id": rid})
    client.close()


if __name__ == "__main__":
    main()

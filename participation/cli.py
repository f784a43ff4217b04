"""The `participation` command: serve, migrate, seed demo data, create accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta

from alembic import command
from alembic.config import Config

from participation import ROOT
from participation.settings import ConfigurationError, load_settings


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "participation" / "migrations"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def migrate(database_url: str | None = None) -> None:
    """Bring the database schema up to date."""
    command.upgrade(alembic_config(database_url), "head")


def cmd_serve(args: argparse.Namespace) -> None:
    from participation.server import serve

    load_settings()  # fail early, with a clear message, when the configuration is incomplete
    serve(
        "participation.app:from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    import logging

    from participation.db import Database
    from participation.maintenance import MAINTENANCE_INTERVAL, maintain_forever, run_maintenance
    from participation.notifications.services import SmtpTarget, Worker

    settings = load_settings()
    if not settings.smtp_url:
        raise ConfigurationError("SMTP_URL must be set for the mail worker (see README.md).")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    async def work() -> None:
        db = Database(settings.database_url)
        worker = Worker(
            db,
            SmtpTarget.from_url(settings.smtp_url),
            sender=settings.sender,
            site_name=settings.site_name,
            claim=timedelta(seconds=args.claim_seconds),
        )
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, worker.stop)
        try:
            if args.once:
                print(f"{await worker.run_once()} mails sent.")
                print(f"Housekeeping: {await run_maintenance(db)}")
            else:
                housekeeping = asyncio.create_task(maintain_forever(db, MAINTENANCE_INTERVAL))
                try:
                    await worker.run_forever(args.interval)
                finally:
                    housekeeping.cancel()
        finally:
            await db.dispose()

    asyncio.run(work())


def cmd_migrate(args: argparse.Namespace) -> None:
    migrate(load_settings().database_url)
    print("Database is up to date.")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from participation.demo import seed_demo

    settings = load_settings()
    created = asyncio.run(seed_demo(settings.database_url, only_if_empty=args.if_empty))
    print("Demo data loaded." if created else "The database already has data; nothing loaded.")


def _password(args: argparse.Namespace) -> str:
    if args.password:
        password: str = args.password
        return password
    return getpass.getpass("Password: ")


def cmd_create_user(args: argparse.Namespace, *, admin: bool = False) -> None:
    from participation.demo import create_user

    settings = load_settings()
    message = asyncio.run(
        create_user(
            settings.database_url,
            email=args.email,
            password=_password(args),
            display_name=args.name,
            admin=admin or args.admin,
            manager_of=args.manager_of or [],
        )
    )
    print(message)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="participation",
        description="Citizen participation for the QM areas of Friedrichshain-Kreuzberg.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the web application")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    worker = sub.add_parser("worker", help="send the mails waiting in the outbox")
    worker.add_argument("--once", action="store_true", help="send what is due, then stop")
    worker.add_argument("--interval", type=float, default=2.0, help="seconds between rounds")
    worker.add_argument(
        "--claim-seconds",
        type=float,
        default=300,
        help="how long a claimed mail waits before another worker may send it",
    )
    worker.set_defaults(func=cmd_worker)

    seed = sub.add_parser("seed-demo", help="load the demo areas, accounts and ideas")
    seed.add_argument("--if-empty", action="store_true", help="only when there are no areas yet")
    seed.set_defaults(func=cmd_seed_demo)

    for name, admin in (("create-user", False), ("create-admin", True)):
        p = sub.add_parser(
            name, help=f"create an account ({'administrator' if admin else 'member'})"
        )
        p.add_argument("email")
        p.add_argument("--password", help="read from the terminal when left out")
        p.add_argument("--name", help="display name (default: the part before @)")
        p.add_argument(
            "--manager-of",
            action="append",
            metavar="SLUG",
            help="appoint as quarter manager of this area (repeatable)",
        )
        p.add_argument("--admin", action="store_true", help="district office administrator")
        p.set_defaults(func=lambda a, admin=admin: cmd_create_user(a, admin=admin))
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except ConfigurationError as error:
        sys.exit(f"participation: {error}")

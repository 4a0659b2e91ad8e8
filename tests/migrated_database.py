"""The SQLite test database (`make check`) migrated once and copied while the migrations stay
the same.

Migrating a fresh SQLite test database (113 migrations; most of it Django rendering model
states) took about 9 s in each pytest process, a ninth of `make check`. The migrated database
is kept in tests/artifacts/migrated-databases/ under a key of everything that decides what the
migrations write: the installed apps, the lock files (third-party migrations), the project's
migration files, the project modules they import (and those modules' project imports) and the
data files beside the apps (`<app>/data/`, read by data migrations). A process with the same
key copies it into its in-memory test database (SQLite's backup API, milliseconds) instead of
migrating; a changed migration, imported module or data file gives a new key and one migration
again (and the copy of the earlier key is removed). PostgreSQL (`make test`) migrates as
before. `rm -rf tests/artifacts/migrated-databases` forgets the copy."""

import ast
import hashlib
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "tests" / "artifacts" / "migrated-databases"


def _project_apps():
    from django.apps import apps

    venv = ROOT / ".venv"
    for app in apps.get_app_configs():
        path = Path(app.path)
        if path.is_relative_to(ROOT) and not path.is_relative_to(venv):
            yield path


def _module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _project_imports(path: Path, read) -> set[Path]:
    """The project's modules that `path` imports (a relative import is resolved as well)."""
    found = set()
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(read(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        found |= {file for name in names if name and (file := _module_file(name))}
    return found


def key(read=Path.read_bytes) -> str:
    """The key of the migrated database; `read` gives a file's content (tests change one)."""
    from django.conf import settings

    sources = set(ROOT.glob("requirements*.lock"))
    pending = set()
    for app in _project_apps():
        pending |= set(app.glob("migrations/*.py"))
        sources |= {path for path in app.glob("data/**/*") if path.is_file()}
    while pending:
        path = pending.pop()
        sources.add(path)
        pending |= _project_imports(path, read) - sources
    digest = hashlib.sha256(repr(settings.INSTALLED_APPS).encode())
    for path in sorted(sources):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + read(path) + b"\0")
    return digest.hexdigest()[:24]


def _migrate_or_copy(call_command):
    def patched(name, *args, **options):
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        if name != "migrate" or connection.vendor != "sqlite":
            return call_command(name, *args, **options)
        kept = CACHE_DIR / f"{key()}.sqlite3"
        connection.ensure_connection()
        if kept.is_file():
            with closing(sqlite3.connect(kept)) as source:
                source.backup(connection.connection)
            return None
        result = call_command(name, *args, **options)
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: the other xdist process may be writing the same copy.
        handle, aside = tempfile.mkstemp(dir=CACHE_DIR, suffix=".part")
        os.close(handle)
        with closing(sqlite3.connect(aside)) as target:
            connection.connection.backup(target)
        os.replace(aside, kept)
        # One copy is enough: those of earlier migrations are not used again.
        for stale in CACHE_DIR.glob("*.sqlite3"):
            if stale != kept:
                stale.unlink(missing_ok=True)
        return result

    return patched


_patcher = None


def start() -> None:
    """From now until `stop()`, creating a SQLite test database copies the kept migrated one
    (or migrates and keeps it). Only while the test database is made: a test migrating on
    purpose migrates."""
    global _patcher
    import django.core.management

    _patcher = mock.patch.object(
        django.core.management,
        "call_command",
        _migrate_or_copy(django.core.management.call_command),
    )
    _patcher.start()


def stop() -> None:
    global _patcher
    if _patcher is not None:
        _patcher.stop()
        _patcher = None

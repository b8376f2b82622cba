"""Reviewers who may sign in: salted password hashes and the `users` table.

A password is stored as one text, `scrypt$n$r$p$salt$hash` (salt and hash in
base64), so the parameters can be raised later without breaking the hashes
already stored; checking compares in constant time. The functions take an open
`Connection` and leave the transaction to the caller.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, Engine, delete, func, inspect, insert, select

from pipeline.db.models import users

ALGORITHM = "scrypt"
#: scrypt cost: 2**14 rounds of 8-block mixing, ~16 MB and ~50 ms per check (OWASP's minimum for scrypt).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 8
#: The tables sign-in needs; migration 0004 adds them.
AUTH_TABLES = ("users", "review_decisions")


class UserError(Exception):
    """A user cannot be added or removed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class User:
    name: str
    created_at: datetime


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join((ALGORITHM, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)))


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was hashed from (False for a malformed hash)."""
    try:
        algorithm, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
        cost = int(n), int(r), int(p)
    except ValueError:
        return False
    if algorithm != ALGORITHM:
        return False
    return hmac.compare_digest(_scrypt(password, salt_bytes, *cost), expected)


def missing_auth_tables(engine: Engine) -> list[str]:
    present = set(inspect(engine).get_table_names())
    return [name for name in AUTH_TABLES if name not in present]


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    return None


def add_user(connection: Connection, name: str, password: str) -> None:
    name = name.strip()
    if not name:
        raise UserError("the user name is empty; give the name the reviewer signs in with")
    if len(name) > users.c.name.type.length:
        raise UserError(f"the user name is longer than {users.c.name.type.length} characters")
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    if user_exists(connection, name):
        raise UserError(f"there is already a user {name!r}; remove it first with 'contracts users remove' "
                        "to give it a new password")
    connection.execute(insert(users).values(name=name, password_hash=hash_password(password)))


def remove_user(connection: Connection, name: str) -> None:
    if connection.execute(delete(users).where(users.c.name == name)).rowcount == 0:
        raise UserError(f"there is no user {name!r}; 'contracts users list' shows the users")


def list_users(connection: Connection) -> list[User]:
    rows = connection.execute(select(users.c.name, users.c.created_at).order_by(users.c.name))
    return [User(name, created_at) for name, created_at in rows]


def has_users(connection: Connection) -> bool:
    return connection.execute(select(func.count()).select_from(users)).scalar_one() > 0


def user_exists(connection: Connection, name: str) -> bool:
    return connection.execute(select(users.c.id).where(users.c.name == name)).first() is not None


def signs_in(connection: Connection, name: str, password: str) -> bool:
    """Whether `name` is a user and `password` is theirs. An unknown name costs a hash too."""
    stored = connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()
    if stored is None:
        password_matches(password, _decoy())  # the same work, so timing does not tell which names exist
        return False
    return password_matches(password, stored)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                          dklen=HASH_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@cache
def _decoy() -> str:
    """A hash of no one's password, to check unknown names against."""
    return hash_password(secrets.token_urlsafe(16))

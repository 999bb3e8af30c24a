"""The app's unbound extensions; bound to an app in ``create_app``."""
import sqlite3
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # What db.Model is, as a class: a type checker cannot follow a base class
    # that is an attribute made at run time.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


#: How much of an SQLite database file is read through a memory map (its
#: address space only: the pages are the operating system's, shared by workers).
SQLITE_MMAP_BYTES = 1024 * 1024 * 1024


@event.listens_for(Engine, "connect")
def _sqlite_for_several_processes(dbapi_connection, _record) -> None:
    """SQLite under several gunicorn workers: write-ahead logging so readers
    never block the writer (nor it them), and a writer waits for another
    instead of failing at once with "database is locked". Reads go through a
    memory map: the workers then share the operating system's copy of the
    file instead of each copying pages through its own small cache (a page
    of 20 hits with their bodies: 0.65-1.0 ms, mapped 0.55 ms)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

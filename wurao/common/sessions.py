"""Django's database sessions (SESSION_ENGINE), but a database locked by another writer is
said to be that.

Django turns any database error while saving a session into "the session was deleted before
the request completed" (a 400 suggesting the user signed out elsewhere). On SQLite, during a
large import's write, the error is the lock: raised as itself, it reaches
DatabaseBusyMiddleware, which answers 503 "系统正忙，请稍后重试".
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from wurao.common.middleware import database_busy


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            if database_busy(error.__context__):
                raise error.__context__ from None
            raise

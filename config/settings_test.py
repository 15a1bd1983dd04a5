"""Test settings: the same as production's shape, with fast hashing and jobs run in-process."""

from config.settings import *  # noqa: F403
from config.settings import HUEY, INSTALLED_APPS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
LANGUAGE_CODE = "zh-hans"

# Tests publish and create rule versions freely: read them from the database every time.
VISIT_RULES_CACHE_SECONDS = 0

# The tests build demo districts and run the `wurao demo` command, whatever WURAO_DEMO says.
if "wurao.demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "wurao.demo"]

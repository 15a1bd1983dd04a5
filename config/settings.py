"""wurao settings, all from the environment.

Defaults give a working development setup on the embedded SQLite database;
production sets DEBUG=0, SECRET_KEY and DATABASE_URL (PostgreSQL).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "wurao-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# [hardening] Reverse proxies in front of gunicorn that append to X-Forwarded-For (docs/security.md):
# the client's address is read from that header's N-th entry from the right, never from an
# entry the client could write (wurao/common/client_ip.py).
WURAO_TRUSTED_PROXIES = env.int("WURAO_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",  # [hardening] login: lockout after failed sign-ins
    "django_otp",  # [hardening] login: two-factor sign-in
    "django_otp.plugins.otp_totp",
    "csp",  # [hardening] deploy: Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "django_ratelimit",  # [hardening] deploy: rate limits; its checks want a shared cache
    "wurao.audit",
    "wurao.accounts",
    "wurao.registry",
    "wurao.catalogue",
    "wurao.enforcement",
    "wurao.visits",
    "wurao.planning",
    "wurao.sampling",
    "wurao.credit",
    "wurao.imports",
    "wurao.standards",  # [portal]
    "wurao.rulemaking",
    "wurao.bookings",
    "wurao.selfcheck",
    "wurao.outcomes",
    "wurao.complaints",
    "wurao.portal",
    "wurao.oversight",
    "wurao.dossier",
    "wurao.disclosure",
    "wurao.web",
]
# The demo district's builder (the `wurao demo` command; the app has no models) is installed
# only where demo data is wanted: scripts/run and the tests turn it on, production leaves it off.
if env.bool("WURAO_DEMO", default=False):
    INSTALLED_APPS.append("wurao.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # [hardening] deploy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wurao.common.middleware.DatabaseBusyMiddleware",  # [hardening] jobs: 503 on a locked SQLite
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wurao.common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # [hardening] login
    "wurao.accounts.middleware.TwoFactorMiddleware",  # [hardening] login: the code first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # [hardening] deploy: 429, not 403
    "django_htmx.middleware.HtmxMiddleware",
    "wurao.common.middleware.NulMiddleware",
    "axes.middleware.AxesMiddleware",  # [hardening] login: last, answers a locked-out sign-in
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wurao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the job worker and the web process share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server and statements prepared once a connection has run them
    # a few times: PostgreSQL then skips parsing and planning the same statements again
    # (measured: 3.2 → 1.8 ms of server CPU per visit registration). Not for a pooler in
    # transaction mode, which would hand the prepared statements to another session.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# [hardening] login: lockout, two-factor sign-in, session and token lifetimes, password hashing
# (docs/guide.md 登录、两步验证与锁定; 等保2.0 三级 身份鉴别, OWASP ASVS L2 V2/V3).
# Failed sign-ins are counted in the database (every worker shares the count) per account and
# per client address (wurao.common.client_ip); wurao/accounts/login_guard.py explains the two
# limits. A lock lasts WURAO_LOGIN_LOCKOUT_MINUTES after the failure that set it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked sign-in before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("WURAO_LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("WURAO_LOGIN_FAILURE_LIMIT", default=5)
WURAO_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("WURAO_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("WURAO_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "wurao.accounts.login_guard.LoginGuardHandler"
AXES_CLIENT_IP_CALLABLE = "wurao.common.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "wurao.accounts.login_guard.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the page names holds
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit chain (auth.login)
AXES_VERBOSE = False  # no banner on every command; failures are still logged
# The government side signs in with a code from an authenticator app (TOTP), on unless DEBUG.
WURAO_REQUIRE_2FA = env.bool("WURAO_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("WURAO_OTP_ISSUER", default="无扰 wurao")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the back office never shows an authenticator's key
# A session ends WURAO_SESSION_HOURS after sign-in (a working day), or when the browser closes
# if WURAO_SESSION_EXPIRE_AT_BROWSER_CLOSE=1; signing in always starts a new session.
SESSION_COOKIE_AGE = env.int("WURAO_SESSION_HOURS", default=8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("WURAO_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
# An API token stands for one sign-in (password and, for the government side, the code), as a
# session does. 24 hours: an inspector's mobile client signs in once for a day in the field,
# and a lost phone's token is dead by the next day; a script signs in again when refused.
WURAO_TOKEN_TTL_HOURS = env.int("WURAO_TOKEN_TTL_HOURS", default=24)
# Argon2id (OWASP's first choice); hashes made before are read and upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "wurao" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package-lock.json) and are served from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/jsqr", NODE_MODULES / "jsqr" / "dist"),
    # The API docs (Redoc): drf-spectacular asks for REDOC_DIST + "/bundles/redoc.standalone.js".
    ("vendor/redoc/bundles", NODE_MODULES / "redoc" / "bundles"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "wurao.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wurao.accounts.policy.PolicyPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wurao.common.api_fields.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wurao 无扰 API",
    "DESCRIPTION": "涉企行政执法统筹监督平台接口 / enterprise-related enforcement platform API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ loads Redoc from the platform (npm, pinned in package-lock.json), not a CDN: on
    # a government intranet nothing outside is reachable. Its template is api/redoc.html (no web
    # fonts); the fonts below are the reader's own.
    "REDOC_DIST": f"/{STATIC_URL}vendor/redoc",
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
                "headings": {"fontFamily": '"Noto Sans CJK SC", "PingFang SC", sans-serif'},
                "code": {"fontFamily": "ui-monospace, Menlo, Consolas, monospace"},
            }
        }
    },
    # Several models have a `kind` or `level` field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseKindEnum": "wurao.registry.choices.EnterpriseKind",
        "ItemKindEnum": "wurao.catalogue.choices.ItemKind",
        "ActionKindEnum": "wurao.enforcement.choices.ActionKind",
        "LevelEnum": "wurao.registry.choices.Level",
        "EnterpriseStatusEnum": "wurao.registry.choices.EnterpriseStatus",
        "DrawTaskStatusEnum": "wurao.sampling.choices.TaskStatus",
        "GradeEnum": "wurao.credit.choices.Grade",
        "OriginEnum": "wurao.enforcement.choices.Origin",
        "VisitKindEnum": "wurao.visits.choices.VisitKind",
        "VisitOriginEnum": "wurao.visits.choices.VisitOrigin",
        "VisitStatusEnum": "wurao.visits.choices.VisitStatus",
        "CheckInMethodEnum": "wurao.visits.choices.CheckInMethod",
        "VisitPurposeEnum": "wurao.visits.choices.VisitPurpose",
        "VisitCodeStateEnum": "wurao.visits.choices.CodeState",
        # [portal]
        "DocumentKindEnum": "wurao.standards.choices.DocumentKind",
        "VersionStatusEnum": "wurao.standards.choices.VersionStatus",
        "ConflictStatusEnum": "wurao.rulemaking.choices.ConflictStatus",
        "ConsultationStatusEnum": "wurao.rulemaking.choices.ConsultationStatus",
        "ServiceKindEnum": "wurao.bookings.choices.ServiceKind",
        "BookingStatusEnum": "wurao.bookings.choices.BookingStatus",
        "SelfInspectionStatusEnum": "wurao.selfcheck.choices.InspectionStatus",
        "SelfInspectionResultEnum": "wurao.selfcheck.choices.EntryResult",
        "OffsiteMethodEnum": "wurao.enforcement.choices.OffsiteMethod",
        "InspectionModeEnum": "wurao.enforcement.choices.Mode",
        "EvidenceKindEnum": "wurao.outcomes.choices.EvidenceKind",
        "CaseKindEnum": "wurao.outcomes.choices.CaseKind",
        "CaseStatusEnum": "wurao.outcomes.choices.CaseStatus",
        "CaseProposalEnum": "wurao.outcomes.choices.Proposal",
        "ExemptionKindEnum": "wurao.outcomes.choices.ExemptionKind",
        "ExemptionLevelEnum": "wurao.outcomes.choices.Level",
        "RectificationStatusEnum": "wurao.outcomes.choices.RectificationStatus",
        "ComplaintCategoryEnum": "wurao.complaints.choices.Category",
        "ComplaintStatusEnum": "wurao.complaints.choices.Status",
        "ComplaintFindingEnum": "wurao.complaints.choices.Finding",
        "FindingEnum": "wurao.enforcement.choices.Finding",
        "WhistleStatusEnum": "wurao.complaints.choices.WhistleStatus",
    },
    # [hardening] API schema: the lists' 404 for a page past the last, said once for all.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wurao.common.api_schema.page_not_found_documented",
    ],
}

# Jobs: huey, on SQLite by default and on Redis in production (docs/decisions/0001-job-queue.md).
JOBS_URL = env.str("JOBS_URL", default=f"sqlite:///{VAR_DIR / 'jobs.sqlite3'}")
HUEY = {
    "name": "wurao",
    "immediate": env.bool("JOBS_IMMEDIATE", default=False),
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
if JOBS_URL.startswith("redis://"):
    HUEY.update({"huey_class": "huey.RedisHuey", "url": JOBS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": JOBS_URL.removeprefix("sqlite:///")})

# [hardening] jobs: what an import file may be (docs/import-templates.md 文件大小与行数上限; the
# defaults admit the whole district, 433,407 market entities, in one file) and the reaper of
# jobs whose worker stopped (docs/decisions/0001-job-queue.md). A running job beats every
# WURAO_JOBS_HEARTBEAT_SECONDS while it reads; one silent for WURAO_JOBS_STALE_SECONDS is
# queued again once, then failed.
WURAO_IMPORT_MAX_FILE_MB = env.int("WURAO_IMPORT_MAX_FILE_MB", default=200)
WURAO_IMPORT_MAX_EXPANDED_MB = env.int("WURAO_IMPORT_MAX_EXPANDED_MB", default=600)
WURAO_IMPORT_MAX_RATIO = env.int("WURAO_IMPORT_MAX_RATIO", default=100)
WURAO_IMPORT_MAX_ROWS = env.int("WURAO_IMPORT_MAX_ROWS", default=500_000)
WURAO_JOBS_HEARTBEAT_SECONDS = env.float("WURAO_JOBS_HEARTBEAT_SECONDS", default=10)
WURAO_JOBS_STALE_SECONDS = env.int("WURAO_JOBS_STALE_SECONDS", default=300)
# A session saved while SQLite is locked by a long write says so (503), not "session deleted".
SESSION_ENGINE = "wurao.common.sessions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# [hardening] deploy: HTTPS, cookies and response headers (docs/deploy.md). Production is
# served over HTTPS only, usually by a TLS proxy in front of gunicorn: that proxy says which
# scheme the browser used in X-Forwarded-Proto, believed only when it is one of the trusted
# proxies (a client talking to gunicorn directly could otherwise claim HTTPS).
if WURAO_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Browsers remember to use HTTPS only for this long (one year in production). Sub-domains of
# the platform's own host name are included; preloading commits the whole domain to browser
# vendors' lists and is its owner's decision, so it is off unless asked for.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # no path or query (codes, filters) to another site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies: sent over HTTPS only in production (SECURE_COOKIES=0 for a plain-HTTP test rig),
# out of reach of scripts, and not sent with another site's cross-site POST (Lax: a link
# from an e-mail still arrives signed in).
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the form or hx-headers, not the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SILENCED_SYSTEM_CHECKS = [
    # security.W021: HSTS preload is off by default (above); it is the domain owner's call.
    "security.W021",
    # django_ratelimit.W001: its list of supported caches knows django-redis and memcached
    # only. The caches used here count atomically: Django's own RedisCache (INCR) and
    # wurao.common.cache.FileCache (a lock); the known-bad ones still fail its E003.
    "django_ratelimit.W001",
]

# [hardening] deploy: Content-Security-Policy, in every environment (so the browser tests meet
# it). No inline script and no eval anywhere: pages load scripts from the platform and wire
# their behaviour by data attributes (web/static/web/wurao.js). Inline styles stay allowed:
# templates, HTMX and ECharts set style attributes. /api/docs/ (Redoc) has its own policy
# (config/urls.py). QR codes are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# [hardening] deploy: the cache, shared by every worker process: rate limits count in it.
# Default: files under var/cache (the processes of one machine; wurao.common.cache.FileCache
# counts atomically). Several machines: CACHE_URL=redis://host:6379/1 (Django's RedisCache).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["BACKEND"] = "wurao.common.cache.FileCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
# Rate limits per client address (wurao/common/ratelimit.py): the code check (/v/ and its
# API) and the public disclosure pages. An empty value switches a limit off.
WURAO_RATELIMITS = {
    "code_check": env.str("WURAO_RATELIMIT_CODE_CHECK", default="60/m"),
    "public": env.str("WURAO_RATELIMIT_PUBLIC", default="120/m"),
}
RATELIMIT_IP_META_KEY = "wurao.common.client_ip.client_ip"  # for @ratelimit(key="ip")
RATELIMIT_VIEW = "wurao.common.ratelimit.ratelimited_view"

# Credit grading: working days a department has to decide an objection or repair, and the
# publicity period after an approval before the record stops counting.
CREDIT_REVIEW_WORKING_DAYS = env.int("CREDIT_REVIEW_WORKING_DAYS", default=15)
CREDIT_PUBLICITY_DAYS = env.int("CREDIT_PUBLICITY_DAYS", default=7)

# [hardening] audit: the key that signs the audit chain's head (docs/audit.md), held outside the
# database. AUDIT_SIGNING_KEY (the Ed25519 seed, 64 hex digits) or AUDIT_SIGNING_KEY_FILE (PEM;
# `wurao audit_anchor --new-key FILE` makes one); only the job worker and `wurao audit_anchor`
# sign. With DEBUG on and neither set, a development key is made under var/; with DEBUG off there
# is none: nothing is signed and the system check audit.W001 warns. AUDIT_PUBLIC_KEYS: public
# keys trusted when verifying besides the signing key's (earlier keys after a rotation, or the
# current one on a host without the private key). The worker signs the head every
# AUDIT_ANCHOR_MINUTES minutes (1-60).
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
AUDIT_SIGNING_KEY_FILE = env.str("AUDIT_SIGNING_KEY_FILE", default="")
AUDIT_DEVELOPMENT_KEY_FILE = str(VAR_DIR / "audit-signing-key.pem") if DEBUG else ""
AUDIT_PUBLIC_KEYS = env.list("AUDIT_PUBLIC_KEYS", default=[])
AUDIT_ANCHOR_MINUTES = env.int("AUDIT_ANCHOR_MINUTES", default=5)

# [visits] Each process keeps the visit rules in force this long (a new version clears the
# publishing process's copy at once; other processes see it within this time).
VISIT_RULES_CACHE_SECONDS = env.int("VISIT_RULES_CACHE_SECONDS", default=60)
# An enterprise rates a finished visit within this many days of it (the portal asks for
# ratings of recent visits only, not of years past).
VISIT_RATING_DAYS = env.int("VISIT_RATING_DAYS", default=90)

# [joint] Monthly plans are due by this day of the month before, then locked.
PLAN_DEADLINE_DAY = env.int("PLAN_DEADLINE_DAY", default=25)
# Departments one joint visit may bring, by the enterprise's size class ("" = not known):
# a joint visit with too many departments overwhelms a small enterprise.
JOINT_VISIT_DEPARTMENT_LIMITS = {"micro": 2, "small": 2, "medium": 3, "large": 5, "": 3}
# A department's daily inspection capacity when it has not set its own: teams × hours.
PLANNING_DEFAULT_TEAMS = env.int("PLANNING_DEFAULT_TEAMS", default=2)
PLANNING_DEFAULT_TEAM_HOURS = env.int("PLANNING_DEFAULT_TEAM_HOURS", default=6)

# ---- [portal] complaints (wurao/complaints, docs/complaints.md): BEGIN ----
# The complainant's and the whistleblower's identity is encrypted at rest with Fernet keys held
# outside the database: WURAO_IDENTITY_KEYS, comma-separated Fernet keys (generate one with
# `wurao complaints_rekey --new-key`), NEWEST FIRST; the older ones still decrypt until
# `wurao complaints_rekey --commit` has re-encrypted every row with the newest. With DEBUG on and
# none set, a development key derived from SECRET_KEY; with DEBUG off production refuses to start.
WURAO_IDENTITY_KEYS = env.list("WURAO_IDENTITY_KEYS", default=[])
if not WURAO_IDENTITY_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WURAO_IDENTITY_KEYS must be set when DEBUG is off (Fernet keys, newest first)."
        )
    import base64 as _b64
    import hashlib as _hashlib

    WURAO_IDENTITY_KEYS = [
        _b64.urlsafe_b64encode(
            _hashlib.sha256(f"wurao-identity-development:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
# Stage deadlines of a complaint, in working days (registry/workdays.py): accept within, answer
# within (counted from acceptance), and a department's statement within.
COMPLAINT_ACCEPT_DAYS = env.int("COMPLAINT_ACCEPT_DAYS", default=2)
COMPLAINT_ANSWER_DAYS = env.int("COMPLAINT_ANSWER_DAYS", default=15)
COMPLAINT_STATEMENT_DAYS = env.int("COMPLAINT_STATEMENT_DAYS", default=5)
# ---- [portal] complaints: END ----

"""The authorisation matrix's world: two of every scope, each with one of everything.

Scope 1 and scope 2 each have a street (with two parks and an enterprise), a department (with
officers, an item, a commitment item), and the records that tie them together: an enforcement
action, a visit with a result, a double-random task, a plan entry, a campaign, a confirmed
joint visit, an enterprise's day, a park day, an objection, a repair and a signed commitment.
Every record of scope k belongs to department k, street k and enterprise k at once, so that
each signed-in identity meets one record of its own scope and one of the other on every route.

Built once per test module through the services (as people would have made it), on a fixed
day: plans are filed for next month, draws run inside their window, certificates are valid.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import logging
import uuid
from decimal import Decimal

import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.credit import services as credit_services
from wurao.credit.choices import RecordSource
from wurao.credit.models import CommitmentItem, PointsTableDraft, PointsTableVersion
from wurao.credit.services_grading import grades_recompute, points_table_ensure_default
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.imports.models import ImportJob
from wurao.imports.services import upload_path
from wurao.imports.views import PENDING
from wurao.planning import services as planning_services
from wurao.planning import services_coordination, services_park_days
from wurao.planning.choices import SlotKind
from wurao.planning.models import JointVisit
from wurao.planning.views_coordination import JOBS
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    ParkFactory,
    StreetFactory,
)
from wurao.sampling import services as sampling_services
from wurao.sampling.choices import SizeMode
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create
from wurao.visits import services as visit_services
from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin, VisitStatus
from wurao.visits.tests.factories import VisitFactory

# The world's today: a Monday in December. Plans are filed for January (open until
# 25 December), the draws run in December, the park days are on Wednesdays.
TODAY = datetime.date(2026, 12, 7)
MONTH = datetime.date(2027, 1, 1)
PARK_DAY = datetime.date(2026, 12, 9)
VALID_UNTIL = datetime.date(2099, 12, 31)
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
SCOPES = (1, 2)

ANONYMOUS = "anonymous"
# One justice bureau (it sees everything) and two of each scoped role.
IDENTITIES = (
    ANONYMOUS,
    "bureau",
    "dept_admin_1",
    "dept_admin_2",
    "inspector_1",
    "inspector_2",
    "street_1",
    "street_2",
    "enterprise_1",
    "enterprise_2",
)


@dataclasses.dataclass
class Scoped:
    """Everything of one scope: its department, street and enterprise, and their records."""

    k: int
    street: object
    parks: list
    enterprise: object
    neighbour: object  # another enterprise of the street
    others: list  # three more: [0] free, [1] the joint open visit's, [2] the joint plan's
    department: object
    officers: list
    item: object
    action: object = None  # a penalty: a credit record the enterprise may object to
    repaired_action: object = None  # another penalty, for a repair application
    visit: object = None  # checked in, with a result: under way
    visit_action: object = None  # the visit's recorded result
    open_visit: object = None  # registered for today, not begun: to staff, join or cancel
    done_visit: object = None  # finished last week: its enterprise may rate it
    draw_task: object = None
    selection: object = None
    plan_entry: object = None
    campaign: object = None  # approved, not yet published
    published_campaign: object = None
    joint_visit: object = None
    slot: object = None
    park_day: object = None
    objection: object = None
    repair: object = None
    commitment: object = None
    schedule_job: str = ""
    # The records of capabilities added later, by name, built by authz_extensions.
    extra: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class World:
    users: dict  # identity name -> User (no entry for the anonymous visitor)
    clients: dict  # identity name -> Client, signed in
    scopes: dict  # 1, 2 -> Scoped
    # Registered by department 1 at an enterprise of street 1, joined by department 2: a
    # record both departments take part in, which only its lead decides on.
    joint_open_visit: object = None
    # Both departments planned the same enterprise of street 1: one joint visit, confirmed.
    joint_planned: object = None
    import_job: object = None
    upload_sha256: str = ""
    table_version: int = 0
    table_draft: int = 0
    extra: dict = dataclasses.field(default_factory=dict)

    def __getitem__(self, k: int) -> Scoped:
        return self.scopes[k]


def mark(k: int, what: str) -> str:
    """A word written into scope k's records, to find them on a page: "MX1-penalty"."""
    return f"MX{k}-{what}"


def _scope_build(k: int) -> Scoped:
    street = StreetFactory(name=f"矩阵{k}街道", code=f"44030999{k:04d}")
    parks = [ParkFactory(street=street) for _ in range(2)]
    department = DepartmentFactory(name=f"区矩阵{k}局", code=f"MX{k}")
    officers = InspectorFactory.create_batch(
        6, department=department, certificate_valid_until=VALID_UNTIL
    )
    item = InspectionItemFactory(department=department, code=f"MX{k}-001")
    enterprise = EnterpriseFactory(street=street, name=f"深圳市矩阵{k}号科技有限公司")
    # A few more in the street, so that a draw has enterprises to choose from.
    neighbour, *others = EnterpriseFactory.create_batch(4, street=street)
    return Scoped(
        k=k,
        street=street,
        parks=parks,
        enterprise=enterprise,
        neighbour=neighbour,
        others=others,
        department=department,
        officers=officers,
        item=item,
    )


def _users(scopes: dict) -> dict:
    users = {"bureau": UserFactory(username="mx_bureau", role=Role.JUSTICE)}
    for k, s in scopes.items():
        users[f"dept_admin_{k}"] = UserFactory(
            username=f"mx_admin_{k}", role=Role.DEPT_ADMIN, department=s.department
        )
        users[f"inspector_{k}"] = UserFactory(
            username=f"mx_inspector_{k}", role=Role.INSPECTOR, department=s.department
        )
        users[f"street_{k}"] = UserFactory(
            username=f"mx_street_{k}", role=Role.STREET, street=s.street
        )
        users[f"enterprise_{k}"] = UserFactory(
            username=f"mx_enterprise_{k}", role=Role.ENTERPRISE, enterprise=s.enterprise
        )
    return users


def _registration(s: Scoped, enterprise, officers) -> visit_services.Registration:
    return visit_services.Registration(
        enterprise=enterprise,
        kind=VisitKind.INSPECTION,
        department=s.department,
        day=TODAY,
        origin=VisitOrigin.PLAN,
        officers=tuple(officers),
        items=(s.item,),
        approver="张科长",
        approval_ref=f"矩阵审〔2026〕{s.k}号",
        approved_on=TODAY,
    )


def _visits(s: Scoped, admin) -> None:
    s.open_visit = visit_services.visit_register(
        actor=admin, reg=_registration(s, s.neighbour, s.officers[2:])
    )
    visit = visit_services.visit_register(
        actor=admin, reg=_registration(s, s.enterprise, s.officers[:2])
    )
    visit = visit_services.visit_check_in(
        actor=admin,
        visit=visit,
        method=CheckInMethod.CREDIT_CODE,
        scanned=s.enterprise.credit_code,
    )
    s.visit_action = visit_services.visit_result_record(
        actor=admin,
        visit=visit,
        department=s.department,
        kind=ActionKind.INSPECTION,
        items=[s.item],
        officers=s.officers[:2],
        finding="clean",
        summary="未发现问题",
    )
    s.visit = visit
    s.done_visit = VisitFactory(
        enterprise=s.enterprise,
        department=s.department,
        date=TODAY - datetime.timedelta(days=5),
        status=VisitStatus.COMPLETED,
        officers=s.officers[:2],
        items=[s.item],
    )


def _draw(s: Scoped, admin) -> None:
    task = draw_task_create(
        actor=admin,
        title=f"矩阵{s.k}双随机抽查",
        lead_department=s.department,
        participants=[ParticipantSpec(department=s.department, items=[s.item])],
        scope={"streets": [s.street.pk]},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(2),
        window_start=TODAY,
        window_end=datetime.date(2026, 12, 31),
    )
    task = sampling_services.draw_task_commit(actor=admin, task=task)
    task = sampling_services.draw_task_draw(
        actor=admin, task=task, external_entropy=f"骰子 {s.k}-3-5", observer="区司法局 王某"
    )
    s.draw_task = task
    s.selection = task.selections.order_by("pk").first()


def _plan_entry(s: Scoped, admin, enterprise):
    return planning_services.plan_entry_add(
        actor=admin,
        department=s.department,
        month=MONTH,
        enterprise=enterprise,
        items=[s.item],
        earliest=datetime.date(2027, 1, 4),
        latest=datetime.date(2027, 1, 29),
    )


def _plans(s: Scoped, admin) -> None:
    s.plan_entry = _plan_entry(s, admin, s.enterprise)
    s.campaign, s.published_campaign = (
        planning_services.campaign_register(
            actor=admin,
            department=s.department,
            title=f"{mark(s.k, 'campaign')}{n}：安全生产专项检查",
            scope="全区",
            starts_on=datetime.date(2027, 1, 4),
            ends_on=datetime.date(2027, 1, 29),
            approver="区政府",
            document_no=f"矩阵专〔2026〕{s.k}{n}号",
            approved_on=TODAY,
        )
        for n in (1, 2)
    )
    planning_services.campaign_publish(actor=admin, campaign=s.published_campaign)


def _schedule(s: Scoped, coordinator) -> None:
    planning_services.schedule_run(
        actor=coordinator, month=MONTH, street=s.street, time_limit=5, deterministic=True
    )
    proposal = JointVisit.objects.get(street=s.street, enterprise=s.enterprise)
    s.joint_visit = services_coordination.joint_visit_confirm(actor=coordinator, visit=proposal)


def _joint_open_visit(scopes: dict, users: dict):
    lead, joining = scopes[1], scopes[2]
    visit = visit_services.visit_register(
        actor=users["dept_admin_1"], reg=_registration(lead, lead.others[1], lead.officers[4:6])
    )
    return visit_services.visit_join(
        actor=users["dept_admin_2"],
        visit=visit,
        department=joining.department,
        officers=joining.officers[4:6],
        items=[joining.item],
    )


def _park_day(s: Scoped, coordinator, departments) -> None:
    services_park_days.park_day_setting_set(
        actor=coordinator, street=s.street, weekday=PARK_DAY.weekday()
    )
    s.park_day = services_park_days.park_day_commit(
        actor=coordinator,
        street=s.street,
        day=PARK_DAY,
        departments=departments,
        observers=[{"name": "李代表", "role": "npc"}],
    )


def _credit(s: Scoped, enterprise_user) -> None:
    s.action, s.repaired_action = (
        EnforcementActionFactory(
            enterprise=s.enterprise,
            department=s.department,
            kind=ActionKind.PENALTY,
            date=datetime.date(2026, 10, day),
            summary=f"{mark(s.k, 'penalty')}：责令改正并处罚款",
        )
        for day in (12, 13)
    )
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%matrix\n", "application/pdf")
    s.objection = credit_services.objection_file(
        actor=enterprise_user,
        enterprise=s.enterprise,
        record_source=RecordSource.ACTION,
        record_id=s.action.pk,
        reason=f"{mark(s.k, 'objection')}：处罚决定已被复议撤销",
        evidence=evidence,
    )
    s.repair = credit_services.repair_apply(
        actor=enterprise_user,
        enterprise=s.enterprise,
        record_source=RecordSource.ACTION,
        record_id=s.repaired_action.pk,
        reason="已整改完毕",
        evidence=SimpleUploadedFile("整改.pdf", b"%PDF-1.4\n%fixed\n", "application/pdf"),
    )
    item = CommitmentItem.objects.create(
        department=s.department,
        code=f"MX{s.k}-CN-01",
        title=f"矩阵{s.k}安全生产承诺",
        text="本企业承诺落实安全生产主体责任",
    )
    s.commitment = credit_services.commitment_sign(
        actor=enterprise_user, enterprise=s.enterprise, item=item
    )


def _imports(world: World) -> None:
    """A finished background import, and a checked upload waiting in the bureau's session."""
    data = "统一社会信用代码,名称\n".encode()
    world.upload_sha256 = hashlib.sha256(data).hexdigest()
    path = upload_path(world.upload_sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    world.import_job = ImportJob.objects.create(
        target="enterprises",
        filename="企业.csv",
        sha256=world.upload_sha256,
        rows=0,
        requested_by=world.users["bureau"],
        status=ImportJob.Status.DONE,
    )


def _sessions(world: World) -> None:
    """What a person's session holds after their own work: the bureau's checked upload, and
    each coordinator's scheduling job (the bureau started both streets' too)."""
    started = timezone.now().isoformat()
    jobs = {}
    for k, s in world.scopes.items():
        s.schedule_job = uuid.uuid4().hex
        job = {"month": f"{MONTH:%Y-%m}", "started": started, "outcome": {"visits": 1}}
        jobs[k] = {s.schedule_job: job}
        _session_set(world.clients[f"street_{k}"], JOBS, jobs[k])
    bureau = world.clients["bureau"]
    _session_set(bureau, JOBS, {**jobs[1], **jobs[2]})
    pending = {world.upload_sha256: {"target": "enterprises", "filename": "企业.csv", "rows": 0}}
    _session_set(bureau, PENDING, pending)


def _session_set(client: Client, key: str, value) -> None:
    session = client.session
    session[key] = value
    session.save()


def world_build() -> World:
    """The whole world, on TODAY (the caller travels there); every write through a service."""
    scopes = {k: _scope_build(k) for k in SCOPES}
    users = _users(scopes)
    points_table_ensure_default(actor=users["bureau"])
    departments = [s.department for s in scopes.values()]
    for k, s in scopes.items():
        admin, coordinator = users[f"dept_admin_{k}"], users[f"street_{k}"]
        _visits(s, admin)
        _draw(s, admin)
        _plans(s, admin)
        _park_day(s, coordinator, departments)
        _credit(s, users[f"enterprise_{k}"])
        s.slot = services_coordination.slot_set(
            actor=users[f"enterprise_{k}"],
            enterprise=s.enterprise,
            day=TODAY + datetime.timedelta(days=10),
            kind=SlotKind.REQUESTED,
        )
    joint_open_visit = _joint_open_visit(scopes, users)
    both = scopes[1].others[2]
    for k, s in scopes.items():
        _plan_entry(s, users[f"dept_admin_{k}"], both)
    for k, s in scopes.items():
        _schedule(s, users[f"street_{k}"])
    joint_planned = services_coordination.joint_visit_confirm(
        actor=users["street_1"], visit=JointVisit.objects.get(enterprise=both)
    )
    grades_recompute(actor=users["bureau"], as_of=TODAY)
    clients = {}
    for name, user in users.items():
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    clients[ANONYMOUS] = Client(raise_request_exception=False)
    world = World(
        users=users,
        clients=clients,
        scopes=scopes,
        joint_open_visit=joint_open_visit,
        joint_planned=joint_planned,
    )
    _imports(world)
    _sessions(world)
    version = PointsTableVersion.objects.order_by("-version").first()
    world.table_version = version.version
    # A calibration draft (the service fits one only on a district's worth of inspections;
    # the draft's page reads no more than its stored table and report).
    world.table_draft = PointsTableDraft.objects.create(
        table=version.table, note="MX-draft", based_on=version
    ).pk
    # Imported here: the extensions import authz_targets, which imports this module.
    from wurao.web.tests.authz_extensions import EXTENSIONS

    for extension in EXTENSIONS:
        extension.build(world)
    return world


@contextlib.contextmanager
def world_committed(django_db_blocker, media_root):
    """The world for a test module (its `world` fixture): built once and committed, on its day
    (its plans, draws and park days are dated), with uploads under `media_root`; flushed
    afterwards."""
    media = override_settings(MEDIA_ROOT=media_root)
    clock = time_machine.travel(
        datetime.datetime.combine(TODAY, datetime.time(9), BEIJING), tick=True
    )
    # Thousands of refusals by design: Django would log each 403 and 404 with its traceback.
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)
    media.enable()
    clock.start()
    cache.clear()  # throttles and rate limits counted by earlier tests
    try:
        with django_db_blocker.unblock():
            built = world_build()
        yield built
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        clock.stop()
        media.disable()
        requests_log.setLevel(level)

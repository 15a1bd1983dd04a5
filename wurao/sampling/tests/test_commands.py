"""`wurao draw_export` and `wurao draw_verify`: anyone re-runs a published draw from its file."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.sampling.choices import SizeMode
from wurao.sampling.services import draw_task_commit, draw_task_draw
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "random-draw-v1.example.json"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def departments(department):
    return [department, DepartmentFactory(name="区卫生健康局", code="WJ")]


@pytest.fixture
def draft(street, departments, dept_admin):
    """A draft joint task over 30 enterprises, each department with 4 officers."""
    for d in departments:
        InspectorFactory.create_batch(
            4, department=d, certificate_valid_until=datetime.date(2027, 6, 30)
        )
    EnterpriseFactory.create_batch(30, street=street)
    return draw_task_create(
        actor=dept_admin,
        title="2026年12月安全生产联合双随机抽查",
        lead_department=departments[0],
        participants=[
            ParticipantSpec(department=d, items=[InspectionItemFactory(department=d)])
            for d in departments
        ],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(6),
        window_start=datetime.date(2026, 12, 1),
        window_end=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def drawn(draft, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=draft)
    return draw_task_draw(
        actor=dept_admin, task=task, external_entropy="骰子 3-5-2", observer="区司法局 王某"
    )


def _export(task, path: Path) -> dict:
    call_command("draw_export", task.code, "--out", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _verify(path: Path, capsys) -> str:
    call_command("draw_verify", str(path))
    return capsys.readouterr().out


def test_an_exported_bundle_verifies_with_every_check_passed(drawn, tmp_path, capsys):
    # given a drawn joint task exported to a file
    path = tmp_path / "bundle.json"
    _export(drawn, path)
    capsys.readouterr()

    # when anyone verifies the file
    out = _verify(path, capsys)

    # then every derived field is recomputed and matches, the teams once per department
    passed = [line for line in out.splitlines() if "✔" in line]
    assert [line.split(" ", 4)[-1] for line in passed] == [
        "snapshot_digest",
        "commitment",
        "quotas",
        "selected",
        "result_digest",
        "teams [YJ]",
        "teams [WJ]",
    ]
    assert "✘" not in out
    assert "全部 7 项核验通过" in out


def test_the_export_is_readable_utf8_json(drawn, tmp_path):
    path = tmp_path / "bundle.json"

    bundle = _export(drawn, path)

    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "spec": "wurao-draw-v1"')
    assert "2026年12月安全生产联合双随机抽查" in text  # not \\u-escaped
    assert bundle["task_id"] == drawn.code
    assert [d["code"] for d in bundle["departments"]] == ["YJ", "WJ"]


def test_the_export_finds_a_task_by_its_id_too(drawn, tmp_path):
    path = tmp_path / "bundle.json"

    call_command("draw_export", str(drawn.pk), "--out", str(path))

    assert json.loads(path.read_text(encoding="utf-8"))["task_id"] == drawn.code


def _tamper_selected(bundle: dict) -> None:
    chosen = {code for code, _ in bundle["selected"]}
    outsider = next(pair for pair in bundle["candidates"] if pair[0] not in chosen)
    bundle["selected"][0] = outsider
    bundle["selected"].sort(key=lambda pair: pair[0].encode())


def _tamper_teams(bundle: dict) -> None:
    teams = bundle["departments"][1]["teams"]
    code = next(iter(teams))
    teams[code] = teams[code][::-1]


TAMPERINGS = {
    "commitment": lambda b: b.update(commitment=hashlib.sha256(b"another seed").hexdigest()),
    "snapshot_digest": lambda b: b.update(snapshot_digest="0" * 64),
    "quotas": lambda b: b.update(quotas={**b["quotas"], "U": b["quotas"]["U"] - 1}),
    "selected": _tamper_selected,
    "result_digest": lambda b: b.update(result_digest="f" * 64),
    "teams [WJ]": _tamper_teams,
}


@pytest.mark.parametrize("field", list(TAMPERINGS))
def test_a_tampered_bundle_fails_naming_the_field(drawn, tmp_path, capsys, field):
    # given an exported bundle with one published field changed
    path = tmp_path / "bundle.json"
    bundle = _export(drawn, path)
    TAMPERINGS[field](bundle)
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()

    # when it is verified
    with pytest.raises(CommandError) as failed:
        call_command("draw_verify", str(path))

    # then the command fails (exit 1) naming that field, and only that one
    out = capsys.readouterr().out
    assert failed.value.returncode == 1
    assert f"（{field}）" in str(failed.value)
    assert out.count("✘") == 1
    failed_line = next(line for line in out.splitlines() if "✘" in line)
    assert failed_line.endswith(field)


def test_the_specs_example_bundle_verifies(capsys):
    out = _verify(EXAMPLE, capsys)

    assert "任务 T-1" in out
    assert "✘" not in out and "全部 6 项核验通过" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("任务,企业\n1,2\n", "不是 JSON"),
        ("[1, 2, 3]", "不是 wurao-draw-v1 抽取结果包"),
        ('{"spec": "other-draw-v9"}', "不是 wurao-draw-v1 抽取结果包"),
        ('{"spec": "wurao-draw-v1", "task_id": "T-1"}', "字段 candidates：缺少此字段"),
    ],
)
def test_a_file_that_is_not_a_bundle_gets_one_clear_error(tmp_path, content, message):
    path = tmp_path / "not-a-bundle.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("draw_verify", str(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("draw_verify", str(tmp_path / "nowhere.json"))


def test_the_export_refuses_a_draft(draft, tmp_path):
    path = tmp_path / "draft.json"

    with pytest.raises(CommandError, match="仍是草稿，尚未承诺"):
        call_command("draw_export", draft.code, "--out", str(path))

    assert not path.exists()


def test_the_export_refuses_an_unknown_task(tmp_path):
    with pytest.raises(CommandError, match="找不到任务“CC-2026-XX-9999”"):
        call_command("draw_export", "CC-2026-XX-9999", "--out", str(tmp_path / "x.json"))


def test_a_committed_task_exports_its_commitment_and_waits_for_the_draw(
    draft, dept_admin, tmp_path, capsys
):
    # given a committed task: the commitment is public, the server seed is not
    task = draw_task_commit(actor=dept_admin, task=draft)
    path = tmp_path / "committed.json"

    bundle = _export(task, path)

    assert bundle["commitment"] == task.commitment and "server_seed" not in bundle
    assert "尚未抽取" in capsys.readouterr().out
    # and verifying it says when it can be verified, rather than failing on a missing field
    with pytest.raises(CommandError, match="尚未抽取"):
        call_command("draw_verify", str(path))


def test_the_console_command_exits_0_when_it_verifies_and_1_when_it_does_not(tmp_path):
    # The exit status is what a script or a journalist's shell sees.
    tampered = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    tampered["result_digest"] = "0" * 64
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(tampered), encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}

    def run(path: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "wurao.manage", "draw_verify", str(path)]
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)

    good, failed = run(EXAMPLE), run(bad)

    assert good.returncode == 0 and "全部 6 项核验通过" in good.stdout
    assert failed.returncode == 1
    assert "result_digest" in failed.stderr and "✘" in failed.stdout

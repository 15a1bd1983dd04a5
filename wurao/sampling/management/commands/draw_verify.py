"""`wurao draw_verify BUNDLE.json`: re-run a published draw and compare every derived field.

Needs no database: the bundle alone decides (spec wurao-draw-v1 §7), so anyone can check
a draw without trusting the server that made it.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wurao.sampling.bundle import check_names, verify_bundle
from wurao.sampling.engine import SPEC, DrawError

CHECK_LABELS = {
    "snapshot_digest": "候选快照摘要",
    "commitment": "承诺值（服务器种子）",
    "quotas": "各层级抽取数",
    "selected": "抽中企业",
    "result_digest": "结果摘要",
    "teams": "检查组",
}


def _short(value: object, limit: int = 240) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 字符）"


def _label(name: str, department: str | None) -> str:
    text = f"{CHECK_LABELS.get(name, name)} {name}"
    return text if department is None else f"{text} [{department}]"


def bundle_read(path: Path) -> dict[str, Any]:
    """The bundle as a JSON object, or one CommandError saying why the file is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"找不到文件 {path} / no such file") from None
    except UnicodeDecodeError:
        raise CommandError(
            f"{path} 不是 UTF-8 文本，不是抽取结果包 / not a UTF-8 text file"
        ) from None
    except OSError as error:
        raise CommandError(f"无法读取 {path}：{error.strerror} / cannot read it") from None
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path} 不是 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}），"
            f"不是抽取结果包 / not JSON, so not a draw bundle"
        ) from None
    if not isinstance(bundle, dict) or bundle.get("spec") != SPEC:
        raise CommandError(
            f'{path} 不是 {SPEC} 抽取结果包：须为 JSON 对象且 "spec" 为 "{SPEC}" '
            f'/ not a {SPEC} bundle (a JSON object whose "spec" is "{SPEC}")'
        )
    if "server_seed" not in bundle and "commitment" in bundle:
        raise CommandError(
            f"任务 {bundle.get('task_id')} 尚未抽取：结果包只有承诺值、候选快照和配额，"
            "服务器种子在抽取后才公开，届时再核验 / the task is not drawn yet; verify it after the draw"
        )
    return bundle


class Command(BaseCommand):
    help = (
        "核验双随机抽取结果包：按 wurao-draw-v1 重算每个派生字段，全部一致时退出码为 0，"
        "否则为 1 并列出不一致的字段。/ Verify a draw bundle: exit 0 when every derived field "
        "matches, 1 naming each mismatch."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "bundle", help="抽取结果包（JSON 文件，可由 wurao draw_export 或公示页下载）"
        )

    def handle(self, *args: Any, bundle: str, **options: Any) -> None:
        path = Path(bundle)
        data = bundle_read(path)
        try:
            mismatches = verify_bundle(data)
        except DrawError as error:
            raise CommandError(
                f"无法核验 {path}：{error.message_zh} / cannot verify: {error.message_en}"
            ) from None
        selected = data.get("selected") or []
        self.stdout.write(
            f"核验 / verifying {path.name}：任务 {data['task_id']}，"
            f"候选 {len(data['candidates']):,} 家，抽中 {len(selected):,} 家"
        )
        failed = {(m.field, m.department): m for m in mismatches}
        checks = check_names(data)
        for name, department in checks:
            mismatch = failed.get((name, department))
            if mismatch is None:
                self.stdout.write(self.style.SUCCESS(f"  ✔ {_label(name, department)}"))
            else:
                self.stdout.write(
                    self.style.ERROR(f"  ✘ {_label(name, department)}")
                    + f"\n      应为 expected {_short(mismatch.expected)}"
                    + f"\n      实为 found    {_short(mismatch.found)}"
                )
        if mismatches:
            named = "、".join(
                name if department is None else f"{name} [{department}]"
                for name, department in failed
            )
            raise CommandError(
                f"核验未通过：{len(mismatches)}/{len(checks)} 项不一致（{named}），"
                f"该结果包不是按公布的算法从所列数据得出的 / the bundle does not verify",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"全部 {len(checks)} 项核验通过：任何人按公布的算法重算都会得到相同的企业和检查组。"
                f" / all {len(checks)} checks passed — the draw is reproduced."
            )
        )

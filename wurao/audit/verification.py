"""What `wurao audit_verify` says about a chain report, and reading the anchors a third party
kept (the public export, selectors.audit_anchors_export)."""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from wurao.audit.engine import AnchorClaim, ChainFault, ChainReport, Fault
from wurao.audit.signing import KeyFormatError, public_key_normalise

EXPORT_FORMAT = "wurao-audit-anchors-v1"


class AnchorFileError(ValueError):
    """A file of anchors that cannot be read, naming the entry and the field."""


def _anchor_facts(fault: ChainFault) -> dict:
    anchor = fault.anchor
    assert anchor is not None
    return {"anchor": anchor.label, "seq": anchor.seq, "signed_at": anchor.signed_at}


def fault_reason(fault: ChainFault) -> str:
    if fault.kind == Fault.SEQ_GAP:
        return _("序号不连续：应为 %(expected)s，实为 %(seq)s（事件被删除或插入）") % {
            "expected": fault.expected_seq,
            "seq": fault.seq,
        }
    if fault.kind == Fault.PREV_HASH:
        return _("前一事件哈希不符（前面的事件被改动或删除）")
    if fault.kind == Fault.CONTENT:
        return _("事件内容与其哈希不符（该事件被改动）")
    facts = _anchor_facts(fault)
    if fault.kind == Fault.ANCHOR_HASH:
        return _(
            "%(anchor)s（签于 %(signed_at)s）签名的链头是第 %(seq)s 号事件、哈希 %(signed)s…，"
            "该事件现在的哈希是 %(found)s…：第 %(since)s 至 %(seq)s 号事件中有事件被改动，"
            "其后的哈希被重新计算过"
        ) % {
            **facts,
            "signed": fault.anchor.hash[:16],
            "found": fault.found_hash[:16],
            "since": fault.since_seq,
        }
    if fault.kind == Fault.ANCHOR_GONE:
        return _(
            "%(anchor)s（签于 %(signed_at)s）签名时链头是第 %(seq)s 号事件，现在链只到第 "
            "%(end)s 号：最新的事件被删除（至少 %(missing)s 个）"
        ) % {**facts, "end": fault.chain_end, "missing": fault.anchor.seq - fault.chain_end}
    if fault.kind == Fault.ANCHOR_SIGNATURE:
        return (
            _(
                "%(anchor)s（第 %(seq)s 号事件，签于 %(signed_at)s）的签名无效："
                "锚点被改动过，或不是用它所列的公钥签的"
            )
            % facts
        )
    return (
        _(
            "%(anchor)s（第 %(seq)s 号事件，签于 %(signed_at)s）的公钥不在本机信任的公钥中"
            "（AUDIT_SIGNING_KEY、AUDIT_SIGNING_KEY_FILE、AUDIT_PUBLIC_KEYS）：密钥配置有误，"
            "或锚点是伪造的"
        )
        % facts
    )


def fault_headline(fault: ChainFault) -> str:
    if fault.kind.of_anchor:
        return _("审计锚点无效：%(reason)s") % {"reason": fault_reason(fault)}
    return _("审计链在第 %(seq)s 号事件处断裂：%(reason)s") % {
        "seq": fault.seq,
        "reason": fault_reason(fault),
    }


def report_lines(report: ChainReport) -> list[str]:
    """What an intact chain's report says: how much was checked and what only the chain protects."""
    lines = [_("审计链完整：%(count)s 个事件全部校验通过。") % {"count": report.events}]
    newest = report.newest_anchor
    if newest is None:
        lines.append(
            _(
                "尚无锚点：全部 %(count)s 个事件仅由哈希链保护（wurao audit_anchor 可签名当前链头）。"
            )
            % {"count": report.events}
        )
        return lines
    lines.append(
        _(
            "锚点：%(count)s 个签名有效且与链一致；最新锚点为第 %(seq)s 号事件（%(label)s，签于 "
            "%(signed_at)s）。"
        )
        % {
            "count": report.anchors_checked,
            "seq": newest.seq,
            "label": newest.label,
            "signed_at": newest.signed_at,
        }
    )
    if report.unanchored:
        lines.append(
            _("最新锚点之后的 %(count)s 个事件仅由哈希链保护。") % {"count": report.unanchored}
        )
    else:
        lines.append(_("全部事件都在最新锚点之内。"))
    return lines


def anchors_read(path: Path) -> list[AnchorClaim]:
    """The anchors of an export a third party kept, each to be verified with the public key the
    file names for it: the file's keeper trusts the copy they made."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnchorFileError(
            _("无法读取锚点文件 %(file)s：%(error)s") % {"file": path, "error": exc}
        ) from exc
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise AnchorFileError(
            _("%(file)s 不是审计锚点导出文件：format 应为 %(format)s")
            % {"file": path, "format": EXPORT_FORMAT}
        )
    entries = data.get("anchors")
    if not isinstance(entries, list):
        raise AnchorFileError(_("%(file)s 缺少 anchors 列表") % {"file": path})
    claims = []
    for number, entry in enumerate(entries, start=1):
        claims.append(_claim(path, number, entry))
    return claims


def _claim(path: Path, number: int, entry) -> AnchorClaim:
    def bad(field: str) -> AnchorFileError:
        value = entry.get(field) if isinstance(entry, dict) else entry
        return AnchorFileError(
            _("%(file)s 的第 %(n)s 个锚点的 %(field)s 无效：%(value)r")
            % {"file": path, "n": number, "field": field, "value": value}
        )

    if not isinstance(entry, dict):
        raise bad("anchor")
    for field in ("hash", "signed_at", "signature", "public_key"):
        if not isinstance(entry.get(field), str):
            raise bad(field)
    seq = entry.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise bad("seq")
    try:
        public_key = public_key_normalise(entry["public_key"])
    except KeyFormatError:
        raise bad("public_key") from None
    return AnchorClaim(
        seq=seq,
        hash=entry["hash"],
        signed_at=entry["signed_at"],
        signature=entry["signature"],
        public_key=public_key,
        label=_("%(file)s 的第 %(n)s 个锚点（%(date)s）")
        % {"file": Path(path).name, "n": number, "date": entry.get("date", "")},
    )

"""The upload form of the justice bureau's import page."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import NamedMessagesMixin
from wurao.imports.services import TARGETS

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class UploadForm(NamedMessagesMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("导入内容"),
        choices=list(TARGETS.items()),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("请选择要导入的内容"),
            "invalid_choice": _("请选择企业、执法人员或检查事项"),
        },
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("按模板填写的 Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）文件"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.csv,.txt"}
        ),
        error_messages={
            "required": _("请选择要上传的文件"),
            "empty": _("文件为空：没有表头，也没有数据。请使用导入模板填写后再上传。"),
            "invalid": _("没有收到文件，请重新选择"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext(
                    "文件过大（%(size).0f MB，上限 %(limit)d MB）。"
                    "请拆分后分批上传，或由管理员用命令 wurao import_enterprises 等导入。"
                )
                % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return upload

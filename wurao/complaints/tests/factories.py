"""Complaints made through the service (so the identity is encrypted as in production)."""

from wurao.complaints import services
from wurao.complaints.choices import Category


def complaint_filed(*, anonymous=True, name="", phone="", enterprise=None, **kwargs):
    """File a complaint; returns (Filed, Complaint)."""
    from wurao.complaints.models import Complaint

    fields = {"category": Category.ATTITUDE, "description": "检查时态度恶劣，拍桌子。"} | kwargs
    filed = services.complaint_file(
        anonymous=anonymous, name=name, phone=phone, enterprise=enterprise, **fields
    )
    return filed, Complaint.objects.get(pk=filed.pk)

"""What the bookings' pages share: the record in scope or a 404, the notice that a check-up is
no inspection."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wurao.accounts.scope import scope_for
from wurao.bookings import selectors
from wurao.bookings.models import Booking, ServiceTeam, Slot

# Said on the booking page, the check-up outcome and the docs (the 三.五: a service the
# enterprise asks for must not turn into an inspection by another name).
NOT_AN_INSPECTION = _(
    "隐患体检是应企业要求提供的服务，不是执法检查：体检发现的问题仅供企业自行整改，"
    "不作为处罚或信用扣分的依据，不产生执法记录、入企检查记录或信用记录。"
)


def team_or_404(request, pk: int) -> ServiceTeam:
    try:
        return selectors.team_get(scope=scope_for(request.user), pk=pk)
    except ServiceTeam.DoesNotExist:
        raise Http404 from None


def slot_or_404(request, pk: int) -> Slot:
    try:
        return selectors.slot_get(scope=scope_for(request.user), pk=pk)
    except Slot.DoesNotExist:
        raise Http404 from None


def booking_or_404(request, pk: int) -> Booking:
    try:
        return selectors.booking_get(scope=scope_for(request.user), pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None

"""Register → verify → refusal in a real browser on a phone-sized screen: a department admin
registers an inspection and gets its code, anyone can check the code without logging in, and a
routine repeat visit beyond the department's yearly cap is refused with the rule named.

WURAO_SCREENSHOTS=1 also writes the registration page and the refusal into docs/screenshots/.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from conftest import CHROMIUM_ARGS, login
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import InspectorFactory
from wurao.visits.choices import CheckInMethod, VisitStatus
from wurao.visits.models import Visit
from wurao.visits.tests.factories import VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("docs/screenshots")


def _phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    return context


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _fill_registration(page, enterprise, officers, item, *, origin: str):
    """What an officer does on the form: find the enterprise by a few characters of its name,
    tap it, tick the item and two officers, fill in the approval."""
    today = timezone.localdate().isoformat()
    # htmx listens for the typing only once the page has loaded (a busy machine is slower)
    page.wait_for_load_state()
    page.fill("#id_enterprise", enterprise.name[:8])
    page.locator("#enterprise-matches button", has_text=enterprise.name).click()
    page.wait_for_selector("#enterprise-chosen")
    page.check(f"#id_items input[value='{item.pk}']")
    for officer in officers:
        page.check(f"#id_officers input[value='{officer.pk}']")
    page.select_option("#id_origin", origin)
    page.fill("#id_approver", "张科长")
    page.fill("#id_approval_ref", "龙应急审〔2026〕12号")
    page.fill("#id_approved_on", today)


def _shoot(page, name: str) -> None:
    if os.environ.get("WURAO_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_register_verify_and_refuse_on_a_phone(browser, live_server, dept_admin, enterprise):
    # given a department with two officers on duty, a published item, and two routine
    # inspections of the enterprise already this year (ungraded: at most 2 a department)
    department = dept_admin.department
    far = datetime.date(2099, 12, 31)
    officers = [
        InspectorFactory(department=department, name=name, certificate_valid_until=far)
        for name in ("李明", "王芳")
    ]
    item = InspectionItemFactory(department=department, name="安全生产责任制落实情况")
    new_year = datetime.date(timezone.localdate().year, 1, 1)
    for _ in range(2):
        VisitFactory(enterprise=enterprise, department=department, date=new_year)

    officer = _phone(browser)
    try:
        page = officer.new_page()
        login(page, live_server, dept_admin.username)

        # when the admin registers an inspection on a complaint (exempt from the cap) from a phone
        page.goto(f"{live_server.url}/visits/")
        page.click("#register-link")
        _fill_registration(page, enterprise, officers, item, origin="complaint")
        page.fill("#id_note", "投诉编号 TS-2026-118：夜间噪声")
        assert _fits_the_screen(page)
        _shoot(page, "visits-register.png")
        page.click("#register-submit")

        # then the visit's page shows its code and the QR code to show the enterprise
        page.wait_for_selector("#visit-code")
        code = Visit.objects.get(origin="complaint").code
        assert page.inner_text("#visit-code") == f"{code[:4]}-{code[4:]}"
        assert page.locator("#visit-qr svg").count() == 1
        assert _fits_the_screen(page)

        # when anyone opens the code's public page, without logging in
        anyone = _phone(browser)
        try:
            public = anyone.new_page()
            public.goto(f"{live_server.url}/v/{code}/")
            text = public.inner_text("body")
        finally:
            anyone.close()

        # then it shows the department and that the code is valid
        assert department.name in text
        assert "有效" in text

        # when the admin registers a routine (planned) inspection of the same enterprise
        page.goto(f"{live_server.url}/visits/new/")
        _fill_registration(page, enterprise, officers, item, origin="plan")
        page.click("#register-submit")

        # then it is refused, naming the rule and the exempt origins, with the way forward
        refusal = page.locator("#refusal")
        refusal.wait_for()
        assert "本部门年度检查上限" in refusal.inner_text()
        assert "投诉举报" in page.inner_text("#exempt-origins")
        assert page.locator("#override-submit").is_visible()
        assert Visit.objects.filter(enterprise=enterprise).count() == 3
        assert _fits_the_screen(page)
        _shoot(page, "visits-refused.png")
    finally:
        officer.close()


def _camera_film(path: Path, picture: bytes) -> Path:
    """A YUV4MPEG2 file for Chromium's fake camera: the picture held up to the lens, in the
    middle of a white 640×480 frame (4:2:0), repeated."""
    frame = Image.new("RGB", (640, 480), "white")
    held = Image.open(io.BytesIO(picture)).convert("RGB")
    held.thumbnail((440, 440))
    frame.paste(held, ((640 - held.width) // 2, (480 - held.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + (b"FRAME\n" + planes) * 3)
    return path


def test_an_officer_checks_in_by_scanning_the_code_the_enterprise_shows(
    browser, live_server, dept_admin, enterprise, enterprise_user, tmp_path
):
    # given today's registered inspection, and the enterprise's code as its portal shows it
    visit = VisitFactory(
        enterprise=enterprise,
        department=dept_admin.department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
    )
    desk = _phone(browser)
    try:
        portal = desk.new_page()
        login(portal, live_server, enterprise_user.username)
        portal.goto(f"{live_server.url}/visits/mine/")
        shown = portal.locator("#enterprise-code svg").screenshot()
    finally:
        desk.close()

    # and an officer's phone whose camera sees it
    film = _camera_film(tmp_path / "camera.y4m", shown)
    camera = browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={film}",
        ],
    )
    try:
        phone = _phone(camera)
        phone.grant_permissions(["camera"], origin=live_server.url)
        page = phone.new_page()
        login(page, live_server, dept_admin.username)
        page.goto(f"{live_server.url}/visits/{visit.code}/")

        # when the officer taps 扫企业码 and holds the phone to the code
        page.click("#scan-start")

        # then the credit code is read into the field, and checking in records a scan
        page.wait_for_function(
            "code => document.querySelector('#id_scanned').value === code",
            arg=enterprise.credit_code,
        )
        assert "已扫码识别" in page.inner_text("[data-scan-status]")
        page.click("#check-in-submit")
        page.wait_for_selector("#check-out-submit")
    finally:
        camera.close()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    assert visit.check_in_method == CheckInMethod.SCAN

"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

Without /usr/bin/chromium (or axe-core under var/npm) they are skipped with the way
to enable them; with CI=true a missing browser is a failure instead.
"""

import datetime
import os
import re
from pathlib import Path

import pytest

from agreements import services
from agreements.models import Agreement, Review
from tests.web.conftest import PASSWORD, build_world
from units.models import AdministrativeUnit, Organization
from units.services import border_communes_mark

# Playwright's sync API runs an event loop; the live server's database calls are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _missing(what: str, how: str):
    message = f"{what} is missing: {how}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing(
            "Chromium (/usr/bin/chromium)",
            "apt-get install chromium chromium-driver to run the browser tests",
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def world(admin_units):
    return build_world()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1360, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    # Every script, style and font the pages use is allowed by their Content-Security-Policy.
    assert not refused, refused


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.locator(".login-card button[type=submit]").click()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page, name: str) -> None:
    """axe-core finds no serious or critical violation on the page."""
    if not AXE.exists():
        _missing("axe-core", "run `make browser` to install it under var/npm")
    # Evaluated through the browser's debugging protocol: the page's CSP forbids inline
    # scripts, as it should, and add_script_tag would insert one.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: " + "; ".join(bad)


def choose_organization(page, index: int, typed: str, expected: str) -> None:
    """Type part of a name, without diacritics, and pick it with the keyboard."""
    field = page.locator(f"#id_parties-{index}-organization")
    field.fill(typed)
    option = page.get_by_role("option", name=re.compile(re.escape(expected)))
    option.wait_for()
    field.press("ArrowDown")
    while (
        page.locator(f"#id_parties-{index}-organization-listbox [aria-selected=true]")
        .inner_text()
        .split("\n")[0]
        != expected
    ):
        field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == expected


def test_staff_create_an_agreement_fix_an_error_and_record_a_review(page, world):
    log_in(page, "canbo.hue")
    assert page.get_by_role("heading", name="Tổng quan").is_visible()
    screenshot(page, "dashboard")
    assert_accessible(page, "dashboard")

    page.get_by_role("link", name="Thêm văn bản").first.click()
    page.get_by_label("Tên văn bản").fill("Quy chế phối hợp Đồn Biên phòng A Lưới với hai xã")
    page.get_by_label("Số, ký hiệu").fill("09-QC/ĐU")
    page.get_by_label("Ngày ký").fill("12/01/2026")
    page.get_by_label("Hiệu lực từ ngày").fill("12/01/2026")
    # A mistake: the end comes before the start.
    page.get_by_label("Hiệu lực đến ngày").fill("31/12/2025")
    choose_organization(page, 0, "don bien phong a luoi", "Đồn Biên phòng A Lưới")
    choose_organization(page, 1, "dang uy xa a luoi", "Đảng ủy xã A Lưới 1")
    choose_organization(page, 2, "hong van", "Đảng ủy xã Hồng Vân")
    page.get_by_label("Người ký").first.fill("Thiếu tá Lê Văn Bình")
    screenshot(page, "agreement-form")
    assert_accessible(page, "agreement form")
    page.get_by_role("button", name="Lưu").click()

    error = page.locator("#id_valid_until_error")
    assert error.inner_text() == "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."
    # Everything typed is still there, the chosen organizations included.
    assert page.get_by_label("Tên văn bản").input_value().startswith("Quy chế phối hợp Đồn")
    assert page.locator("#id_parties-2-organization").input_value() == "Đảng ủy xã Hồng Vân"
    assert page.get_by_label("Người ký").first.input_value() == "Thiếu tá Lê Văn Bình"
    screenshot(page, "agreement-form-error")
    assert_accessible(page, "agreement form with errors")
    page.get_by_label("Hiệu lực đến ngày").fill("31/12/2030")
    page.get_by_role("button", name="Lưu").click()

    page.get_by_text("Đã lưu văn bản phối hợp.").wait_for()
    agreement = Agreement.objects.get(number="09-QC/ĐU")
    assert [p.organization.name for p in agreement.parties.all()] == [
        "Đồn Biên phòng A Lưới",
        "Đảng ủy xã A Lưới 1",
        "Đảng ủy xã Hồng Vân",
    ]
    screenshot(page, "agreement-detail")
    assert_accessible(page, "agreement detail")

    page.get_by_role("link", name="Thêm sơ kết, tổng kết").click()
    page.get_by_label("Năm").fill("2026")
    page.get_by_label("Kỳ báo cáo từ").fill("12/01/2026")
    page.get_by_label("Ngày tổ chức").fill("30/06/2026")
    page.get_by_label("Tuần tra song phương, phối hợp").fill("120")
    page.get_by_label("Người tham gia tuần tra").fill("960")
    page.get_by_label("Vụ việc phát hiện, xử lý").fill("4")
    screenshot(page, "review-form")
    assert_accessible(page, "review form")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu báo cáo sơ kết, tổng kết.").wait_for()
    review = Review.objects.get(agreement=agreement, year=2026)
    assert {v.indicator.code: int(v.value) for v in review.indicator_values.all()} == {
        "joint_patrols": 120,
        "patrol_participants": 960,
        "crime_cases": 4,
    }
    screenshot(page, "review-detail")

    page.get_by_role("link", name="Văn bản phối hợp", exact=True).first.click()
    page.get_by_label("Tìm theo tên, số hiệu (không cần dấu)").fill("don bien phong a luoi hai xa")
    page.get_by_role("button", name="Lọc", exact=True).click()
    results = page.locator("table.data tbody tr")
    assert results.count() == 1
    assert "Quy chế phối hợp Đồn Biên phòng A Lưới với hai xã" in results.first.inner_text()
    screenshot(page, "agreement-list")
    assert_accessible(page, "agreement list")


def test_a_user_of_another_province_gets_404(page, world):
    log_in(page, "canbo.langson")
    response = page.goto(f"/agreements/{world.agreement.pk}/")
    assert response.status == 404
    page.goto("/agreements/")
    assert world.agreement.title not in page.content()


def test_the_combobox_is_usable_by_keyboard_alone(page, world):
    log_in(page, "canbo.hue")
    page.goto("/agreements/new/")
    field = page.locator("#id_parties-0-organization")
    field.focus()
    field.type("a luoi")
    listbox = page.locator("#id_parties-0-organization-listbox")
    listbox.get_by_role("option").first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    field.press("ArrowDown")
    listbox.get_by_role("option").first.wait_for()
    field.press("ArrowDown")
    field.press("Enter")
    chosen = page.locator("#id_parties-0-organization-select").input_value()
    assert chosen in {str(world.hue_post.pk), str(world.hue_commune_party.pk)}


def test_enter_in_a_combobox_before_its_list_appears_does_not_submit(page, world):
    log_in(page, "canbo.hue")
    page.goto("/agreements/new/")
    # Hold the autocomplete's answers back: the list cannot appear before Enter.
    held = []
    page.route("**/autocomplete/organizations/**", lambda route: held.append(route))
    page.evaluate("window.notReloaded = true")
    field = page.locator("#id_parties-0-organization")
    field.fill("hong van")
    field.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("window.notReloaded === true")
    assert page.locator(".form-errors, p.error").count() == 0
    assert held, "Enter asks for the list at once"
    for route in held:
        route.continue_()
    page.get_by_role("option", name=re.compile("Đảng ủy xã Hồng Vân")).wait_for()
    field.press("Enter")
    assert field.input_value() == "Đảng ủy xã Hồng Vân"
    assert page.evaluate("window.notReloaded === true")


def test_an_english_browser_types_and_sees_dates_day_first(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "canbo.hue")
        page.goto("/agreements/new/")
        field = page.get_by_label("Hiệu lực từ ngày")
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("placeholder") == "dd/mm/yyyy"
        field.press_sequentially("12012026")
        assert field.input_value() == "12/01/2026"
        page.get_by_role("button", name="Lưu").click()
        # Refused for the missing fields; the date comes back as typed, day first.
        page.locator(".form-errors").first.wait_for()
        assert page.get_by_label("Hiệu lực từ ngày").input_value() == "12/01/2026"
    finally:
        context.close()


def phone_pages(world) -> dict[str, str]:
    review = services.review_create(
        user=world.staff,
        agreement=world.agreement,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    agreement = world.agreement.pk
    return {
        "dashboard": "/",
        "list": "/agreements/",
        "detail": f"/agreements/{agreement}/",
        "create form": "/agreements/new/",
        "edit form": f"/agreements/{agreement}/edit/",
        "review form": f"/agreements/{agreement}/reviews/new/",
        "review detail": f"/reviews/{review.pk}/",
        "review edit form": f"/reviews/{review.pk}/edit/",
        "organization": f"/organizations/{world.hue_command.pk}/",
        "unit": f"/units/{world.hue.code}/",
        "import": "/import/",
        "review preview": f"/reports/reviews/{review.pk}/",
        "annual preview": f"/reports/annual/2025/?province={world.hue.code}",
        "not found": "/no-such-page/",
    }


def too_wide_pages(browser, live_server, username: str, pages: dict[str, str]) -> dict:
    """The pages wider than a 390 px phone screen, with their widths."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    too_wide = {}
    try:
        page.goto("/accounts/login/")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            too_wide["login"] = page.evaluate("document.documentElement.scrollWidth")
        log_in(page, username)
        for name, url in pages.items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide[name] = width
                screenshot(page, f"phone-{name.replace(' ', '-')}")
    finally:
        context.close()
    return too_wide


def test_no_page_is_wider_than_a_phone(browser, live_server, world):
    communes = AdministrativeUnit.objects.current().communes().filter(parent=world.hue)
    border_communes_mark(codes=list(communes.values_list("code", flat=True)[:3]))
    assert too_wide_pages(browser, live_server, "canbo.hue", phone_pages(world)) == {}
    national = {"national dashboard": "/", "national list": "/agreements/"}
    assert too_wide_pages(browser, live_server, "lanhdao.bdbp", national) == {}


def test_the_list_title_column_stays_readable_on_a_phone(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "canbo.hue")
        page.goto("/agreements/")
        title = page.locator("table.data tbody td").filter(has_text=world.agreement.title)
        # The title wraps within a readable column rather than a sliver a word wide.
        assert title.first.bounding_box()["width"] >= 160
        screenshot(page, "phone-list")
    finally:
        context.close()


def test_staff_record_a_partner_then_an_agreement_with_its_scan(page, world):
    """The Huế clerk's whole job in the browser: the partner organization first, then
    the regulation with it, the lead party found by an abbreviation, the signed scan
    attached in the same form."""
    log_in(page, "canbo.hue")
    page.goto("/organizations/new/")
    page.locator("#id_name").fill("Đảng ủy xã Hương Phong Mới")
    page.locator("#id_kind").select_option(label="Cấp ủy địa phương")
    page.locator("#id_level").select_option(label="Cấp xã")
    assert_accessible(page, "organization form")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    partner = Organization.objects.get(name="Đảng ủy xã Hương Phong Mới")
    assert partner.province == world.hue
    screenshot(page, "organization-detail")

    page.goto("/agreements/new/")
    page.get_by_label("Tên văn bản").fill("Quy chế phối hợp với Đảng ủy xã Hương Phong Mới")
    page.get_by_label("Hiệu lực từ ngày").fill("12/01/2026")
    page.get_by_label("Hiệu lực đến ngày").fill("31/12/2030")
    choose_organization(page, 0, "BĐBP Huế", "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế")
    choose_organization(page, 1, "huong phong moi", "Đảng ủy xã Hương Phong Mới")
    page.locator("#id_scan").set_input_files(
        files=[{"name": "ban-ky.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 scan"}]
    )
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu văn bản phối hợp.").wait_for()
    agreement = Agreement.objects.get(title="Quy chế phối hợp với Đảng ủy xã Hương Phong Mới")
    assert {p.organization for p in agreement.parties.all()} == {world.hue_command, partner}
    assert [a.original_name for a in agreement.attachments.all()] == ["ban-ky.pdf"]
    assert page.get_by_text("ban-ky.pdf").first.is_visible()
    screenshot(page, "agreement-with-scan")


def test_the_coverage_page_and_its_map_are_accessible(page, world):
    log_in(page, "canbo.hue")
    page.goto("/coverage/")
    assert page.get_by_role("heading", name="Độ bao phủ khu vực biên giới").is_visible()
    page.get_by_label("Ngày", exact=True).fill("2025-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    assert "on=2025-12-31" in page.url
    assert not page.get_by_role("alert").count()
    screenshot(page, "coverage")
    assert_accessible(page, "coverage page")


def test_a_post_gets_its_covered_communes_by_keyboard_and_loses_one_by_its_button(page, world):
    communes = list(
        AdministrativeUnit.objects.current()
        .communes()
        .filter(parent=world.hue)
        .order_by("name")[:2]
    )
    log_in(page, "canbo.hue")
    page.goto(f"/organizations/{world.hue_post.pk}/edit/")
    box = page.locator("#id_covered_communes")
    chosen = page.locator(".combobox.multi ul.chosen li")
    for commune in communes:
        box.fill(commune.name)
        page.get_by_role("option", name=re.compile(re.escape(commune.name))).first.wait_for()
        box.press("ArrowDown")
        box.press("Enter")
        assert box.input_value() == ""
    assert chosen.count() == 2
    # Enter with typed text and no list yet does not submit the form.
    page.evaluate("window.notReloaded = true")
    box.fill("zzzz")
    box.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("window.notReloaded === true")
    box.fill("")
    page.get_by_role("button", name=f"Bỏ {communes[0]}").click()
    assert chosen.count() == 1
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    assert list(world.hue_post.covered_communes.all()) == [communes[1]]

"""The flows a user runs in the window, in order, on one fresh journal."""

import json
import os
import re
import struct
import subprocess
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from a11y import describe, serious_violations
from conftest import _app_binary
from isolation import IDENTIFIER, e2e_leftovers, isolated_env, snapshot
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

XSS_REPLY = '已受理 <img src=x onerror="window.__xss=1;alert(1)"> <script>window.__xss=2;alert(2)</script> 请等待'


def wait(driver, timeout=15):
    # WebKitWebDriver reports a node React has just replaced as stale even
    # from find_elements ("Stale element found when trying to create the
    # node handle", seen once in five runs): ask again, as for a missing one.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def text_of(driver, testid):
    """The element's text, or None while it is absent or being re-rendered."""
    try:
        return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]').text
    except (NoSuchElementException, StaleElementReferenceException):
        return None


def by_testid(driver, testid):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f'[data-testid="{testid}"]')))


def field(scope, name):
    return scope.find_element(By.NAME, name)


def type_into(el, text):
    el.clear()
    el.send_keys(text)


def no_script_ran(driver):
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - raises when no alert is open
    assert driver.execute_script("return window.__xss === undefined")


def screenshot(path):
    """A picture of the whole X display, for a person to look at.

    WebDriver's own screenshot waits forever with WebKitGTK's shared-memory
    renderer (which the app selects, see src-tauri/src/main.rs), so the X
    server is asked instead."""
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=20)


def ctrl(driver, key):
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()


def test_the_window_opens_on_the_case_list(driver, artifacts):
    # At first start the app offers a passphrase; "Not now" is remembered.
    offer = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="passphrase-offer"]')))
    assert "no backdoor" in offer.text
    screenshot(artifacts / "00-passphrase-offer.png")
    by_testid(driver, "protect-later").click()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="passphrase-offer"]')))
    wait(driver).until(EC.presence_of_element_located((By.ID, "cases-title")))
    assert driver.title == "Casebook"
    screenshot(artifacts / "01-empty.png")


def test_create_a_case(driver):
    by_testid(driver, "new-case").click()
    form = by_testid(driver, "new-case-form")
    type_into(field(form, "title"), "支付宝账户被冻结")
    type_into(field(form, "provider"), "支付宝")
    Select(field(form, "category")).select_by_value("account_locked")
    type_into(field(form, "amount"), "1250.50")
    type_into(field(form, "deadline"), "2030-01-31")
    # The preparation checklist of the category, ticked off on the form.
    check = wait(driver).until(EC.element_to_be_clickable((By.NAME, "check-screenshots")))
    check.click()
    by_testid(driver, "create-case").click()
    title = wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    assert title.text == "支付宝账户被冻结"
    assert "1,250.50" in by_testid(driver, "case-amount").text
    ticked = driver.find_element(By.CSS_SELECTOR, 'aside input[name="checklist-screenshots"]')
    assert ticked.is_selected()


def test_log_a_contact_with_two_chinese_reference_numbers_from_the_keyboard(driver, artifacts):
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    # The channel select has the focus; the time defaults to now.
    assert driver.switch_to.active_element.get_attribute("name") == "channel"
    assert field(form, "when").get_attribute("value")
    Select(field(form, "channel")).select_by_value("phone")
    type_into(field(form, "via"), "95188")
    type_into(field(form, "agent"), "工号 8823")
    type_into(field(form, "asked"), "为什么冻结我的账户？")
    type_into(field(form, "reply"), "您的账户因风险控制被临时冻结，请提供身份证明。")
    type_into(field(form, "ref-value-0"), "工单-TK20241120")
    field(form, "ref-value-0").send_keys(Keys.ENTER)  # Enter adds another reference row
    Select(field(form, "ref-kind-1")).select_by_value("complaint")
    type_into(field(form, "ref-value-1"), "投诉88812345")
    type_into(field(form, "follow_up"), (date.today() + timedelta(days=3)).isoformat())
    type_into(field(form, "promise"), "回电说明解冻进度")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    card = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="contact-card"]')))
    assert "您的账户因风险控制被临时冻结" in card.text
    refs = by_testid(driver, "case-references").text
    assert "工单-TK20241120" in refs and "投诉88812345" in refs
    screenshot(artifacts / "02-case-en.png")


def test_find_it_with_a_two_character_chinese_search(driver, artifacts):
    ctrl(driver, "k")
    box = by_testid(driver, "search-input")
    box.send_keys("冻结")
    results = by_testid(driver, "search-results")
    hits = results.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]')
    assert any("冻结" in h.text for h in hits)
    marks = results.find_elements(By.TAG_NAME, "mark")
    assert any(m.text == "冻结" for m in marks)
    screenshot(artifacts / "03-search.png")
    contact_hit = next(h for h in hits if "Contact" in h.text)
    contact_hit.click()
    focused = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".card.focused")))
    assert "您的账户因风险控制被临时冻结" in focused.text


def test_a_reference_fragment_finds_the_contact(driver):
    ctrl(driver, "k")
    box = by_testid(driver, "search-input")
    box.send_keys("12345")
    results = by_testid(driver, "search-results")
    assert "投诉888" in results.text
    box.send_keys(Keys.ESCAPE)


def test_edit_it_and_see_the_history(driver):
    card = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="contact-card"]')))
    card.find_element(By.CSS_SELECTOR, '[data-testid="edit-contact"]').click()
    form = by_testid(driver, "contact-form")
    type_into(field(form, "reply"), "账户已解冻，退款三个工作日内到账。")
    by_testid(driver, "save-contact").click()
    by_testid(driver, "edited-badge")
    by_testid(driver, "show-history").click()
    history = by_testid(driver, "history")
    assert "您的账户因风险控制被临时冻结" in history.text
    assert "reply" in history.text
    assert "账户已解冻" in by_testid(driver, "contact-reply").text


def test_a_call_in_progress_is_saved_as_one_phone_contact(driver):
    by_testid(driver, "start-call").click()
    panel = by_testid(driver, "call-panel")
    line = field(panel, "call-line")
    line.send_keys("接通，客服说正在核实", Keys.ENTER)
    time.sleep(2.2)
    line.send_keys("Agent: refund within 3 days", Keys.ENTER)
    assert by_testid(driver, "call-timer").text >= "00:02"
    by_testid(driver, "hang-up").click()
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]')) == 2)
    cards = driver.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]')
    call = next(c for c in cards if "Agent: refund within 3 days" in c.text)
    assert "Phone" in call.text
    assert "[00:00] 接通，客服说正在核实" in call.text
    # Typed 2.2 s after the call started: stamped 00:02, or 00:03 on a slow machine.
    assert "[00:02] Agent: refund within 3 days" in call.text or "[00:03] Agent: refund within 3 days" in call.text


def test_markup_in_a_reply_is_shown_as_text_and_never_runs(driver, artifacts):
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    Select(field(form, "channel")).select_by_value("chat")
    type_into(field(form, "reply"), XSS_REPLY)
    type_into(field(form, "agent"), "<b>bold</b><svg onload=alert(3)>")
    by_testid(driver, "save-contact").click()
    wait(driver).until(lambda d: any(XSS_REPLY in e.text for e in d.find_elements(By.CSS_SELECTOR, '[data-testid="contact-reply"]')))
    assert "<b>bold</b><svg onload=alert(3)>" in driver.find_element(By.ID, "case-title").find_element(By.XPATH, "/html/body").text
    assert not driver.find_elements(By.CSS_SELECTOR, ".card img, .card script, .card svg, .card b")
    no_script_ran(driver)
    # The search snippet is text too.
    ctrl(driver, "k")
    by_testid(driver, "search-input").send_keys("onerror")
    results = by_testid(driver, "search-results")
    assert "<img src=x" in results.text
    assert not results.find_elements(By.CSS_SELECTOR, "img, script")
    no_script_ran(driver)
    by_testid(driver, "search-input").send_keys(Keys.ESCAPE)


def test_delete_goes_to_the_trash_and_undo_brings_it_back(driver):
    def cards():
        return driver.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]')

    before = len(cards())
    call = next(c for c in cards() if "Agent: refund within 3 days" in c.text)
    call.find_element(By.CSS_SELECTOR, '[data-testid="delete-contact"]').click()
    wait(driver).until(lambda d: len(cards()) == before - 1)
    by_testid(driver, "undo").click()
    wait(driver).until(lambda d: len(cards()) == before)
    assert any("Agent: refund within 3 days" in c.text for c in cards())


def test_a_note_is_added_and_edited_with_its_history(driver):
    by_testid(driver, "add-note").click()
    note = wait(driver).until(EC.element_to_be_clickable((By.NAME, "note")))
    note.send_keys("打了三次电话都没人接")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    card = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="note-card"]')))
    assert "打了三次电话都没人接" in card.text
    card.find_element(By.XPATH, './/button[text()="Edit"]').click()
    box = wait(driver).until(EC.element_to_be_clickable((By.NAME, "note-edit")))
    type_into(box, "打了四次电话都没人接")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    # The edit box itself holds the new text (React mirrors a textarea's value
    # into its content), so wait for the saved note: the box is gone and the
    # reloaded note, marked edited, offers its history.
    show = wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, '//*[@data-testid="note-card"]//button[text()="Show earlier versions"]'))
    )
    card = driver.find_element(By.CSS_SELECTOR, '[data-testid="note-card"]')
    assert not card.find_elements(By.NAME, "note-edit")
    assert "打了四次电话都没人接" in card.find_element(By.CSS_SELECTOR, "p.pre").text
    show.click()
    history = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="note-card"] [data-testid="history"]')))
    assert "打了三次电话都没人接" in history.text


def test_due_lists_the_promised_follow_up(driver):
    by_testid(driver, "nav-due").click()
    due = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="due-list"] li')))
    assert "回电说明解冻进度" in due.text
    assert "Due in 3 days" in due.text
    assert "支付宝账户被冻结" in due.text


def test_a_follow_up_due_today_is_a_desktop_notification_that_opens_its_contact(driver, data_dir, notify_bus, artifacts):
    # Support promised a call back today (logged from the CLI, as a user
    # with a terminal might; the window shares the journal).
    title = "花呗退款 提醒"
    case = _cli(data_dir, "case", "new", "--title", title)
    contact = _cli(data_dir, "contact", "add", "--case", case["id"], "--channel", "phone", "--reply", "今天下午给您回电",
                   "--ref", "ticket:TK-REMIND-0612", "--follow-up", date.today().isoformat(), "--promise", "回电说明退款进度")
    # Quiet hours off in Settings, so the reminder comes at any hour.
    by_testid(driver, "nav-settings").click()
    quiet = by_testid(driver, "quiet-hours")
    assert quiet.is_selected(), "quiet hours are on by default"
    quiet.click()
    by_testid(driver, "save-reminders").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="reminders-saved"]')))
    screenshot(artifacts / "19-reminder-settings.png")
    assert _cli(data_dir, "settings")["reminders"]["quiet_from"] is None

    # Opening Due looks for reminders: the notification server receives it.
    by_testid(driver, "nav-due").click()

    def ours(_):
        return next((n for n in notify_bus.shown() if "TK-REMIND-0612" in n["body"]), None)

    note = wait(driver, 30).until(ours)
    assert note["app_name"] == "Casebook"
    assert note["summary"] == f"Follow-up due today · {title}"
    assert note["body"] == "Support promised for today: 回电说明退款进度 · Ticket TK-REMIND-0612"
    assert "default" in note["actions"]
    item = f"contact:{contact['id']}"
    row = (By.CSS_SELECTOR, f'[data-testid="due-list"] li[data-item="{item}"]')
    wait(driver).until(EC.visibility_of_element_located(row))
    screenshot(artifacts / "18-due-reminders.png")

    # Elsewhere in the app, the user clicks the notification: the window
    # opens the case on that contact.
    by_testid(driver, "nav-cases").click()
    notify_bus.click(note["id"])
    wait(driver, 20).until(lambda d: d.find_element(By.ID, "case-title").text == title)
    entry = wait(driver).until(EC.presence_of_element_located((By.ID, f"entry-contact-{contact['id']}")))
    wait(driver).until(lambda d: "focused" in entry.get_attribute("class"))

    # Told once: the CLI, on the same journal, has nothing more to tell of it.
    again = _cli(data_dir, "due", "--notify", "--dry-run")
    assert not [r for r in again if "TK-REMIND-0612" in r["body"]], again
    assert len([n for n in notify_bus.shown() if "TK-REMIND-0612" in n["body"]]) == 1

    # Snoozed from Due, then marked done: it leaves the list.
    by_testid(driver, "nav-due").click()
    li = wait(driver).until(EC.visibility_of_element_located(row))
    li.find_element(By.CSS_SELECTOR, '[data-testid="snooze"]').click()
    wait(driver).until(lambda d: "No reminder before" in d.find_element(*row).text)
    snoozed = [d for d in _cli(data_dir, "due") if d.get("item") == item]
    assert snoozed and snoozed[0]["snoozed_until"] == (date.today() + timedelta(days=1)).isoformat()
    driver.find_element(*row).find_element(By.CSS_SELECTOR, '[data-testid="follow-up-done"]').click()
    wait(driver).until(EC.invisibility_of_element_located(row))
    assert _cli(data_dir, "contact", "show", contact["id"])["follow_up"]["done"] is True


def _tray(notify_bus, *args):
    """The test tray (tests/notify/tray.py): the last icon's menu."""
    out = subprocess.run(["/usr/bin/python3", str(Path(__file__).resolve().parents[1] / "notify/tray.py"),
                          str(notify_bus.log) + ".tray", *args],
                         env=notify_bus.env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _tray_icons(notify_bus):
    log = Path(str(notify_bus.log) + ".tray")
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _until(what, check, timeout=30):
    """Polls `check` until it gives something true; fails naming `what`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_tray_and_starting_at_login_are_chosen_in_settings(driver, session_root, notify_bus, artifacts):
    by_testid(driver, "nav-settings").click()
    tray = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="desktop-tray"]')))
    login = by_testid(driver, "desktop-login")
    assert not tray.is_selected() and not login.is_selected(), "both are off until the user turns them on"
    entry = session_root / "xdg/config/autostart/casebook.desktop"
    assert not entry.exists()

    # Start at login: the tray comes with it (a hidden app needs its icon).
    icons = len(_tray_icons(notify_bus))
    login.click()
    _until("the tray icon", lambda: len(_tray_icons(notify_bus)) > icons)
    wait(driver).until(lambda d: by_testid(d, "desktop-tray").is_selected() and by_testid(d, "desktop-login").is_selected())
    assert json.loads(_tray(notify_bus, "labels")) == ["Open Casebook", "Quit Casebook"]
    # The XDG autostart entry, under XDG_CONFIG_HOME (never the tester's own).
    _until("the autostart entry", entry.exists)
    text = entry.read_text(encoding="utf-8")
    assert f"\nExec={_app_binary()} --hidden\n" in text, text
    assert "[Desktop Entry]\nType=Application\n" in text
    screenshot(artifacts / "20-settings-tray.png")

    # The tray off: starting at login goes too, and the entry is removed.
    by_testid(driver, "desktop-tray").click()
    wait(driver).until(lambda d: not by_testid(d, "desktop-tray").is_selected() and not by_testid(d, "desktop-login").is_selected())
    _until("the autostart entry removed", lambda: not entry.exists())
    saved = json.loads((session_root / f"xdg/config/{IDENTIFIER}/desktop.json").read_text())
    assert saved == {"tray": False, "start_at_login": False}


def _tree(pid):
    out = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        out.extend(_tree(int(child)))
    return out


def _names(pids):
    names = []
    for p in pids:
        try:
            names.append(Path(f"/proc/{p}/comm").read_text().strip())
        except OSError:
            pass
    return names


def _pss_mib(pids):
    kib = 0
    for p in pids:
        try:
            kib += sum(int(line.split()[1]) for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines() if line.startswith("Pss:"))
        except OSError:
            pass
    return kib / 1024


def _windows_of(pid):
    out = subprocess.run(["xdotool", "search", "--all", "--onlyvisible", "--pid", str(pid), "--name", "^Casebook$"], capture_output=True, text=True)
    return out.stdout.split()


def _colours(window):
    """How many colours the window shows (one while it is blank)."""
    out = subprocess.run(["import", "-window", str(window), "-format", "%k", "info:"], capture_output=True, text=True, timeout=30)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def _close_window(window):
    """Asks the window to close as a window manager's close button does
    (WM_DELETE_WINDOW)."""
    from Xlib import X, display, protocol

    d = display.Display()
    w = d.create_resource_object("window", int(window))
    proto, delete = d.intern_atom("WM_PROTOCOLS"), d.intern_atom("WM_DELETE_WINDOW")
    ev = protocol.event.ClientMessage(window=w, client_type=proto, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    w.send_event(ev, event_mask=X.NoEventMask)
    d.flush()
    d.close()


def test_started_at_login_it_waits_in_the_tray_without_a_webview_until_opened(session_root, notify_bus, artifacts):
    # A second Casebook, as the login entry starts it: its own journal and
    # profile, in Chinese, with a follow-up due today.
    root = session_root / "login-start"
    journal = root / "journal"
    journal.mkdir(parents=True)
    env = dict(isolated_env(root, journal), LANG="zh_CN.UTF-8", DBUS_SESSION_BUS_ADDRESS=notify_bus.address)
    env.pop("TAURI_WEBVIEW_AUTOMATION", None)
    config = root / f"xdg/config/{IDENTIFIER}"
    config.mkdir(parents=True)
    (config / "desktop.json").write_text(json.dumps({"tray": True, "start_at_login": True}))
    case = _cli(journal, "case", "new", "--title", "托盘 提醒")
    _cli(journal, "contact", "add", "--case", case["id"], "--channel", "phone", "--reply", "明天回电",
         "--ref", "ticket:TK-TRAY-0001", "--follow-up", date.today().isoformat(), "--promise", "回电")
    _cli(journal, "settings", "quiet-hours", "off")

    icons = len(_tray_icons(notify_bus))
    log = open(artifacts / "login-start.log", "w")
    app = subprocess.Popen([_app_binary(), "--hidden"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _until("the tray icon", lambda: len(_tray_icons(notify_bus)) > icons)
        assert json.loads(_tray(notify_bus, "labels")) == ["打开 Casebook", "退出 Casebook"]
        # Reminders come while hidden.
        note = _until("the reminder", lambda: next((n for n in notify_bus.shown() if "TK-TRAY-0001" in n["body"]), None))
        # No window and no web process while it waits in the tray.
        assert not _windows_of(app.pid)
        names = _names(_tree(app.pid))
        assert not [n for n in names if n.startswith("WebKit")], names
        print(f"hidden in the tray: PSS {_pss_mib(_tree(app.pid)):.1f} MiB over {len(names)} processes {names}")

        # Opening from the tray makes the window (and its web process).
        _tray(notify_bus, "click", "打开 Casebook")
        window = _until("the window", lambda: _windows_of(app.pid))[0]
        _until("the web process", lambda: [n for n in _names(_tree(app.pid)) if n.startswith("WebKitWeb")])
        # The user closes it once it shows the app (a close clicked while
        # the webview is still being made can be lost: seen 1 in 4 within
        # the first second after start).
        _until("the window painted", lambda: _colours(window) > 8)
        subprocess.run(["import", "-window", "root", str(artifacts / "21-opened-from-tray.png")], check=False, timeout=30)

        # Closing the window leaves Casebook in the tray, its webview gone.
        _close_window(window)
        _until("the window closed", lambda: not _windows_of(app.pid))
        _until("the web process gone", lambda: not [n for n in _names(_tree(app.pid)) if n.startswith("WebKitWeb")])
        assert app.poll() is None, "closing the window must not quit Casebook while it is in the tray"

        # The reminder clicked while the window is closed opens it again.
        notify_bus.click(note["id"])
        _until("the window from the reminder", lambda: _windows_of(app.pid))

        # Quit from the tray ends it.
        _tray(notify_bus, "click", "退出 Casebook")
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        log.close()


def assert_accessible(driver, where, audit):
    """Audits the window now; what is found is told at the end, all at once."""
    found = serious_violations(driver)
    audit[where] = found


def test_every_main_view_passes_axe_in_both_languages_and_themes(driver, artifacts):
    """axe-core on the cases, a new case, a case, logging a contact, a call
    in progress, search, the export dialog, Due, official contacts, trash
    and settings, in English and Chinese, light and dark: no serious or
    critical violation (the lock screen and an import preview are audited
    where their own tests open them)."""
    audit = {}

    def shown(locator):
        return wait(driver).until(EC.visibility_of_element_located(locator))

    for theme in ("light", "dark"):
        for lang in ("en", "zh"):
            by_testid(driver, "nav-settings").click()
            Select(by_testid(driver, "theme")).select_by_value(theme)
            Select(by_testid(driver, "language")).select_by_value(lang)
            wait(driver).until(lambda d: by_testid(d, "nav-cases").text == ("案件" if lang == "zh" else "Cases"))
            wait(driver).until(lambda d: d.execute_script("return document.documentElement.dataset.theme") == theme)
            at = f"{theme}/{lang}"
            for nav, title in (("nav-due", "due-title"), ("nav-channels", "channels-title"), ("nav-trash", "trash-title"), ("nav-settings", "settings-title"), ("nav-cases", "cases-title")):
                by_testid(driver, nav).click()
                shown((By.ID, title))
                assert_accessible(driver, f"{at} {nav[4:]}", audit)
            by_testid(driver, "new-case").click()
            shown((By.ID, "new-case-title"))
            assert_accessible(driver, f"{at} new case", audit)
            by_testid(driver, "nav-cases").click()
            by_testid(driver, "open-case-1").click()
            shown((By.ID, "case-title"))
            assert_accessible(driver, f"{at} case", audit)
            by_testid(driver, "log-contact").click()
            shown((By.CSS_SELECTOR, '[data-testid="contact-form"]'))
            assert_accessible(driver, f"{at} log a contact", audit)
            by_testid(driver, "nav-cases").click()
            by_testid(driver, "open-case-1").click()
            by_testid(driver, "start-call").click()
            panel = by_testid(driver, "call-panel")
            assert_accessible(driver, f"{at} call panel", audit)
            panel.find_element(By.XPATH, ".//div[@class='actions']/button[not(@data-testid)]").click()
            wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="call-panel"]')))
            by_testid(driver, "export-case").click()
            shown((By.CSS_SELECTOR, '[data-testid="export-dialog"]'))
            assert_accessible(driver, f"{at} export dialog", audit)
            ctrl(driver, "k")
            by_testid(driver, "search-input").send_keys("冻结")
            wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]'))
            assert_accessible(driver, f"{at} search", audit)
            by_testid(driver, "search-input").send_keys(Keys.ESCAPE)
            wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="search-input"]')))
            if (theme, lang) == ("dark", "zh"):
                screenshot(artifacts / "20-dark-zh-case.png")
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "theme")).select_by_value("auto")
    Select(by_testid(driver, "language")).select_by_value("en")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "Cases")
    print(f"axe: {len(audit)} views audited, serious or critical violations: {sum(len(v) for v in audit.values())}")
    bad = {k: v for k, v in audit.items() if v}
    assert not bad, "\n".join(f"{k}:\n{describe(v)}" for k, v in bad.items())

    # The keyboard alone reaches the controls, each with a visible focus ring.
    by_testid(driver, "nav-cases").click()
    shown((By.ID, "cases-title"))
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    reached = []
    for _ in range(25):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        reached.append(driver.execute_script(
            "const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();"
            "return {tag: e.tagName, id: e.dataset.testid || e.name || e.textContent.trim().slice(0, 20),"
            " outline: s.outlineStyle, width: parseFloat(s.outlineWidth), seen: r.width > 0 && r.height > 0};"))
    controls = [r for r in reached if r["tag"] != "BODY"]
    no_ring = [r for r in controls if r["outline"] == "none" or r["width"] < 2 or not r["seen"]]
    assert not no_ring, no_ring
    assert {"nav-cases", "nav-due", "nav-settings", "new-case"} <= {r["id"] for r in controls}, reached


def test_switch_language_to_chinese_and_back(driver, artifacts):
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("zh")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "案件")
    assert driver.find_element(By.ID, "settings-title").text == "设置"
    by_testid(driver, "nav-cases").click()
    by_testid(driver, "open-case-1").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    assert "记录一次联系" in by_testid(driver, "log-contact").text
    assert "账户被锁定或冻结" in driver.find_element(By.TAG_NAME, "main").text
    screenshot(artifacts / "04-case-zh.png")
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("en")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "Cases")


# Three Latin words in a row: an English sentence (or part of one).
LATIN_RUN = re.compile(r"[A-Za-z]+(?:[ ,;:'’]+[A-Za-z]+){2,}")


def assert_chinese(text, *typed):
    """An error said in Chinese: it holds Chinese, and no English words in a
    row once what the user typed (quoted back) is taken out."""
    rest = text
    for t in typed:
        rest = rest.replace(t, "")
    assert re.search(r"[\u4e00-\u9fff]", rest), f"no Chinese in: {text}"
    assert not LATIN_RUN.search(rest), f"English in: {text}"


def alert_text(driver, before=None):
    """The error banner's text once it shows (and differs from `before`)."""

    def shown(d):
        for el in d.find_elements(By.CSS_SELECTOR, "[role=alert]"):
            try:
                t = el.text
            except StaleElementReferenceException:
                continue
            if t and t != before:
                return t
        return False

    return wait(driver, 30).until(shown)


def test_errors_in_chinese_have_no_english_sentence(driver, data_dir, artifacts):
    """Issue 14: the core sends what went wrong as data; in Chinese the app
    says every error it can reach in Chinese, and the language chosen in the
    app is the journal's, so the CLI speaks it too."""
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("zh")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "案件")

    # Invalid input on the new-case form: an amount, a currency, a date.
    by_testid(driver, "nav-cases").click()
    by_testid(driver, "new-case").click()
    form = by_testid(driver, "new-case-form")
    type_into(field(form, "title"), "错误提示测试")
    type_into(field(form, "amount"), "abc")
    type_into(field(form, "currency"), "CNY")
    by_testid(driver, "create-case").click()
    seen = [alert_text(driver)]
    assert "abc" in seen[-1]
    type_into(field(form, "amount"), "12.50")
    type_into(field(form, "currency"), "$$")
    by_testid(driver, "create-case").click()
    seen.append(alert_text(driver, seen[-1]))
    type_into(field(form, "currency"), "CNY")
    type_into(field(form, "deadline"), "2026-02-30")
    by_testid(driver, "create-case").click()
    seen.append(alert_text(driver, seen[-1]))
    screenshot(artifacts / "40-error-zh.png")
    for text in seen:
        assert_chinese(text, "abc", "$$", "2026-02-30")

    # Nothing was created; the form is left with Cancel.
    form.find_element(By.XPATH, ".//div[@class='actions']/button[@type='button']").click()
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="new-case-form"]'))
    assert "错误提示测试" not in _page_text(driver)

    # A search of too many words.
    by_testid(driver, "open-search").click()
    type_into(by_testid(driver, "search-input"), " ".join(f"w{i}" for i in range(70)))
    text = alert_text(driver)
    assert "70" in text
    assert_chinese(text, *(f"w{i}" for i in range(70)))
    by_testid(driver, "search-input").send_keys(Keys.ESCAPE)

    # The register of official contact points: a missing provider, then a
    # point registered twice (a conflict).
    by_testid(driver, "nav-channels").click()
    form = by_testid(driver, "channel-form")
    type_into(field(form, "channel-value"), "400-820-0000")
    by_testid(driver, "add-channel").click()
    text = alert_text(driver)
    assert_chinese(text)
    type_into(field(form, "channel-provider"), "测试银行")
    by_testid(driver, "add-channel").click()
    wait(driver).until(lambda d: "400-820-0000" in by_testid(d, "channel-list").text)
    type_into(field(form, "channel-provider"), "测试银行")
    type_into(field(form, "channel-value"), "400-820-0000")
    by_testid(driver, "add-channel").click()
    text = alert_text(driver)
    assert "400-820-0000" in text and "测试银行" in text
    assert_chinese(text, "400-820-0000")
    row = driver.find_element(By.XPATH, "//ul[@data-testid='channel-list']/li[.//code[text()='400-820-0000']]")
    row.find_element(By.TAG_NAME, "button").click()
    wait(driver).until(lambda d: not d.find_elements(By.XPATH, "//ul[@data-testid='channel-list']//code[text()='400-820-0000']"))

    # The language is the journal's: the CLI speaks it, whatever the locale.
    exe = _cli_exe()
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="", LC_MESSAGES="")
    listed = subprocess.run([str(exe), "--data-dir", str(data_dir), "case", "list"], env=env, capture_output=True, timeout=60, check=True)
    assert "已持续" in listed.stdout.decode(), listed.stdout.decode()
    bad = subprocess.run([str(exe), "--data-dir", str(data_dir), "contact", "add", "--case", "999", "--channel", "phone"], env=env, capture_output=True, timeout=60)
    assert bad.returncode == 2
    assert_chinese(bad.stderr.decode().replace("casebook", ""), "case list")

    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("en")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "Cases")


def _png(path, width, height, rgb):
    """A real PNG image (solid colour), written without any image library."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _cli_exe():
    root = Path(__file__).resolve().parents[2]
    found = [Path(p) for p in [root / "target/release/casebook", root / "target/debug/casebook"] if p.is_file()]
    # The one built last (`./dev test` builds the debug one with `cargo test`).
    return os.environ.get("CASEBOOK_CLI") or max(found, key=lambda p: p.stat().st_mtime)


def _cli(data_dir, *args):
    """The casebook CLI on the same journal the window has open."""
    exe = _cli_exe()
    out = subprocess.run([str(exe), "--data-dir", str(data_dir), "--json", *map(str, args)], check=True, capture_output=True, timeout=60)
    return json.loads(out.stdout)


def _window_geometry(name):
    deadline = time.time() + 20
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True).stdout.split()
        if found:
            out = subprocess.run(["xdotool", "getwindowgeometry", "--shell", found[0]], capture_output=True, text=True).stdout
            g = dict(line.split("=", 1) for line in out.split())
            return found[0], int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])
        time.sleep(0.3)
    names = [
        subprocess.run(["xdotool", "getwindowname", w], capture_output=True, text=True).stdout.strip()
        for w in subprocess.run(["xdotool", "search", "--name", "."], capture_output=True, text=True).stdout.split()
    ]
    raise AssertionError(f"no window named {name!r}; windows: {names}")


def _drag_files_onto_the_app(files, data_dir):
    """Drags files from a GTK drag source (as from a file manager) onto the
    window with the mouse: the real X11 drag-and-drop protocol. The drag
    source, a GTK program too, gets the run's temporary XDG folders."""
    env = isolated_env(data_dir.parent, data_dir)
    source = subprocess.Popen(["/usr/bin/python3", str(Path(__file__).with_name("drag_source.py")), *map(str, files)], env=env)
    try:
        _, x, y, w, h = _window_geometry("casebook-drag-source")
        sx, sy = x + w // 2, y + h // 2
        _, ax, ay, aw, ah = _window_geometry("^Casebook$")
        tx, ty = ax + aw // 2, ay + ah // 2
        steps = ["mousemove", str(sx), str(sy), "sleep", "0.3", "mousedown", "1", "sleep", "0.3"]
        for i in range(1, 11):
            steps += ["mousemove", str(sx + (tx - sx) * i // 10), str(sy + (ty - sy) * i // 10), "sleep", "0.1"]
        steps += ["sleep", "0.5", "mouseup", "1"]
        subprocess.run(["xdotool", *steps], check=True, timeout=30)
        time.sleep(0.5)
    finally:
        source.terminate()


def _pick_in_file_dialog(path):
    """Types a path into the native GTK file dialog, as a person would (Ctrl+L)."""
    win = _window_geometry("^Open File$")[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True, timeout=10)
    time.sleep(0.5)
    subprocess.run(["xdotool", "key", "--window", win, "ctrl+l"], check=True, timeout=10)
    time.sleep(0.3)
    subprocess.run(["xdotool", "type", "--window", win, "--delay", "5", str(path)], check=True, timeout=20)
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "--window", win, "Return"], check=True, timeout=10)


def test_three_screenshots_and_the_alipay_statement_dropped_two_disputed_payments_picked(driver, data_dir, artifacts):
    """The issue's story: drag three screenshots and the Alipay statement onto
    the case, pick the two payments to the fake agent, see them with the
    screenshots in the timeline; `casebook verify` proves the files."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures/statements"
    drop = data_dir.parent / f"casebook-e2e-drop-{time.time_ns()}"
    drop.mkdir()
    files = []
    for i, rgb in enumerate([(220, 60, 60), (60, 160, 90), (50, 90, 200)], start=1):
        files.append(drop / f"聊天截图{i}.png")
        _png(files[-1], 160, 90, rgb)
    files.append(drop / "支付宝交易明细.csv")
    files[-1].write_bytes((fixtures / "alipay-2023.csv").read_bytes())

    by_testid(driver, "nav-cases").click()
    by_testid(driver, "open-case-1").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    try:
        _drag_files_onto_the_app(files, data_dir)
        wait(driver, 20).until(lambda d: "Attached 4" in by_testid(d, "file-notice").text)
    finally:
        for p in files:
            p.unlink()
        drop.rmdir()
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="file-name"]')]
    assert sorted(names) == ["支付宝交易明细.csv", "聊天截图1.png", "聊天截图2.png", "聊天截图3.png"]

    # The dropped statement opens its preview; the two payments to the fake agent are picked.
    dialog = by_testid(driver, "import-dialog")
    wait(driver).until(lambda d: "Alipay" in by_testid(d, "import-summary").text)
    assert "6 rows" in by_testid(driver, "import-summary").text
    type_into(by_testid(driver, "import-search"), "李客服")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="import-rows"] tbody tr')) == 2)
    for box in dialog.find_elements(By.CSS_SELECTOR, 'tbody input[type="checkbox"]'):
        box.click()
    go = by_testid(driver, "import-go")
    wait(driver).until(lambda d: "2" in go.text)
    screenshot(artifacts / "05-import-preview.png")
    found = serious_violations(driver)
    assert not found, describe(found)
    go.click()
    wait(driver).until(lambda d: "Imported 2" in by_testid(d, "file-notice").text)
    texts = " ".join(c.text for c in driver.find_elements(By.CSS_SELECTOR, '[data-testid="timeline"] .card.txn'))
    assert "20261118200040011100930012345678" in texts and "20261118200040011100930012349999" in texts
    assert "2,000.00" in texts and "1,500.00" in texts

    # The screenshots are shown inline, served by the app (they load as they scroll into view).
    wait(driver).until(
        lambda d: d.execute_script(
            "const imgs=[...document.querySelectorAll('[data-testid=file-preview]')];"
            "const todo=imgs.find(i=>!(i.complete && i.naturalWidth===160));"
            "if (todo) todo.scrollIntoView({block:'center'});"
            "return imgs.length===3 && !todo;"
        )
    )
    screenshot(artifacts / "06-case-with-evidence.png")
    report = _cli(data_dir, "verify")
    assert report["files_checked"] == 4 and report["damaged"] == []


def test_a_file_picked_in_the_native_dialog_is_attached_to_a_transaction(driver, data_dir):
    pdf = data_dir.parent / f"casebook-e2e-transfer-receipt-{time.time_ns()}.pdf"  # typed with xdotool: ASCII
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    card = driver.find_element(By.CSS_SELECTOR, '[data-testid="timeline"] .card.txn')
    card.find_element(By.CSS_SELECTOR, '[data-testid="attach-to-entry"]').click()
    try:
        _pick_in_file_dialog(pdf)
        # Listed under the transaction it belongs to.
        wait(driver, 20).until(
            lambda d: pdf.name in d.find_element(By.XPATH, "//article[contains(@class,'txn')]/parent::li").text
        )
    finally:
        pdf.unlink()
    shown = _cli(data_dir, "case", "show", 1)
    linked = [a for a in shown["attachments"] if a["name"] == pdf.name]
    assert len(linked) == 1 and linked[0]["transaction_id"] is not None and linked[0]["media_type"] == "application/pdf"


def test_a_bank_csv_in_no_known_layout_is_imported_through_a_column_mapping(driver, data_dir, artifacts):
    fixtures = Path(__file__).resolve().parents[1] / "fixtures/statements"
    bank = data_dir.parent / f"casebook-e2e-bank-{time.time_ns()}.csv"
    bank.write_bytes((fixtures / "bank-other.csv").read_bytes())
    by_testid(driver, "import-statement").click()
    try:
        _pick_in_file_dialog(bank)
        dialog = by_testid(driver, "import-dialog")
        # Unknown layout: the message names the columns found.
        wait(driver).until(lambda d: "Booking date" in dialog.text and "Payee" in dialog.text)
    finally:
        bank.unlink()
    Select(by_testid(driver, "import-format")).select_by_value("csv")
    Select(by_testid(driver, "map-date")).select_by_visible_text("Booking date")
    Select(by_testid(driver, "map-amount")).select_by_visible_text("Amount")
    Select(by_testid(driver, "map-counterparty")).select_by_visible_text("Payee")
    type_into(dialog.find_element(By.NAME, "fixed-currency"), "EUR")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="import-rows"] tbody tr')) == 2)
    rows = driver.find_element(By.CSS_SELECTOR, '[data-testid="import-rows"] tbody').text
    # 15/11 proves the dates are day first.
    assert "Nov 3, 2026" in rows and "ACME Online Shop" in rows and "89.90" in rows
    dialog.find_element(By.XPATH, ".//button[contains(., 'Tick all shown')]").click()
    type_into(dialog.find_element(By.NAME, "save-mapping-as"), "My bank")
    screenshot(artifacts / "07-mapping.png")
    by_testid(driver, "import-go").click()
    wait(driver).until(lambda d: "Imported 2" in by_testid(d, "file-notice").text)
    # Saved for next time.
    assert [m["name"] for m in _cli(data_dir, "txn", "mappings")] == ["My bank"]


def test_statements_in_another_language_with_ambiguous_dates_or_unknown_columns(driver, data_dir, artifacts):
    """Issue 15: a German PayPal download reads by meaning; a file whose
    dates all read both ways asks instead of guessing; a bank file in no
    known layout offers the mapping Casebook guesses."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures/statements"
    case = _cli(data_dir, "case", "new", "--title", "PayPal Rückzahlung fehlt", "--provider", "PayPal")
    cid = case["id"]
    tmp = data_dir.parent / f"casebook-e2e-statements-{time.time_ns()}"
    tmp.mkdir()
    ambiguous = tmp / "paypal-uk.csv"
    ambiguous.write_text(
        "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID\n"
        "03/04/2026,10:00:00,GMT,Corner Shop,Payment,Completed,GBP,-5.00,0.00,-5.00,TXA1\n"
        "05/06/2026,11:00:00,GMT,Corner Shop,Payment,Completed,GBP,-7.00,0.00,-7.00,TXA2\n",
        encoding="utf-8",
    )
    bank = tmp / "umsaetze.csv"
    bank.write_text(
        "Buchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung;Kategorie\n"
        "01.10.2026;01.10.2026;Stadtwerke;Abschlag;-85,00;EUR;Wohnen\n"
        "14.10.2026;14.10.2026;Arbeitgeber GmbH;Gehalt;2.345,67;EUR;Einkommen\n",
        encoding="utf-8",
    )
    for f in [fixtures / "paypal-de-activity.csv", ambiguous, bank]:
        _cli(data_dir, "attach", "--case", cid, f)
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{cid}").click()
    wait(driver).until(lambda d: "PayPal Rückzahlung fehlt" in d.find_element(By.ID, "case-title").text)

    def open_import(name):
        xpath = f"//article[@data-testid='file-card'][.//*[@data-testid='file-name'][contains(., '{name}')]]//button[@data-testid='file-import']"
        button = wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath)))
        driver.execute_script("arguments[0].scrollIntoView({block:'center'})", button)
        button.click()
        return by_testid(driver, "import-dialog")

    def rows_text(d):
        return " ".join(r.text for r in d.find_elements(By.CSS_SELECTOR, '[data-testid="import-rows"] tbody tr'))

    def cancel(dialog):
        dialog.find_element(By.XPATH, ".//button[contains(., 'Cancel')]").click()
        wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="import-dialog"]')))

    # German column names, decimal commas, Soll/Haben.
    dialog = open_import("paypal-de-activity.csv")
    wait(driver).until(lambda d: "PayPal activity download (German)" in by_testid(d, "import-summary").text)
    wait(driver).until(lambda d: "Beispiel Elektronik GmbH" in rows_text(d) and "1,249.99" in rows_text(d) and "1,300.00" in rows_text(d))
    screenshot(artifacts / "17-paypal-german.png")
    cancel(dialog)

    # Every date reads both ways: the preview asks, and shows nothing until told.
    dialog = open_import("paypal-uk.csv")
    choice = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="date-order"]')))
    assert "03/04/2026" in dialog.text and not driver.find_elements(By.CSS_SELECTOR, '[data-testid="import-rows"]')
    choice.find_element(By.CSS_SELECTOR, "input[value='day']").click()
    wait(driver).until(lambda d: "Apr 3, 2026" in rows_text(d) and "Jun 5, 2026" in rows_text(d))
    choice.find_element(By.CSS_SELECTOR, "input[value='month']").click()
    wait(driver).until(lambda d: "Mar 4, 2026" in rows_text(d) and "May 6, 2026" in rows_text(d))
    screenshot(artifacts / "18-date-order.png")
    cancel(dialog)

    # No known layout: what was not understood, and the guessed mapping on a click.
    dialog = open_import("umsaetze.csv")
    wait(driver).until(lambda d: "Kategorie" in dialog.text and d.find_elements(By.CSS_SELECTOR, '[data-testid="use-guess"]'))
    by_testid(driver, "use-guess").click()
    wait(driver).until(lambda d: "Stadtwerke" in rows_text(d) and "2,345.67" in rows_text(d))
    assert Select(by_testid(driver, "map-date")).first_selected_option.text == "Buchungstag"
    assert Select(by_testid(driver, "map-amount")).first_selected_option.text == "Betrag"
    screenshot(artifacts / "19-guessed-mapping.png")
    dialog.find_element(By.XPATH, ".//button[contains(., 'Tick all shown')]").click()
    by_testid(driver, "import-go").click()
    wait(driver).until(lambda d: "Imported 2" in by_testid(d, "file-notice").text)
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()


def test_the_scam_shield_warns_while_typing_and_on_the_saved_contact(driver, artifacts):
    """A fake agent asks for the 验证码 and a transfer to a 安全账户: the
    editor warns before saving, and the saved contact keeps the warning."""
    by_testid(driver, "nav-cases").click()
    by_testid(driver, "open-case-1").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    Select(field(form, "channel")).select_by_value("phone")
    type_into(field(form, "via"), "00852 6123 4567")
    type_into(field(form, "reply"), "我是支付宝客服，为了解冻请把验 证 码告诉我，再把余额转到安全账户做资金核查")
    warning = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="scam-warning-editor"]')))
    rules = {li.get_attribute("data-rule") for li in warning.find_elements(By.TAG_NAME, "li")}
    assert {"verification_code", "safe_account"} <= rules
    assert "verification" in warning.text and "96110" in warning.text
    driver.execute_script("arguments[0].scrollIntoView({block:'center'})", warning)
    screenshot(artifacts / "08-scam-warning.png")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="contact-form"]')))
    wait(driver).until(lambda d: any("safe" in w.text for w in d.find_elements(By.CSS_SELECTOR, '[data-testid="timeline"] [data-testid="scam-warning"]')))


def test_a_pasted_recovery_phrase_is_caught_and_masked_before_saving(driver):
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident"
    type_into(field(form, "reply"), f"客服说需要这个：{phrase}")
    warning = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="scam-warning-editor"]')))
    assert "recovery phrase" in warning.text
    by_testid(driver, "mask-secrets").click()
    wait(driver).until(lambda d: "abandon" not in field(form, "reply").get_attribute("value"))
    assert "recovery phrase removed" in field(form, "reply").get_attribute("value")
    form.find_element(By.XPATH, ".//button[contains(., 'Cancel')]").click()


def test_a_fraud_case_shows_the_emergency_steps(driver, data_dir):
    case = _cli(data_dir, "case", "new", "--title", "冒充客服诈骗 2000 元", "--category", "fraud")
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{case['id']}").click()
    steps = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="emergency-steps"]')))
    items = steps.find_elements(By.TAG_NAME, "li")
    assert len(items) == 4 and "Freeze" in items[0].text and "96110" in items[2].text


def test_a_fake_agent_on_an_unverified_number_is_caught_before_saving_and_in_the_export(driver, data_dir, artifacts):
    """Issue 6's story: the user registered the provider's official number;
    a call through another number with an "agent" who wants the 验证码 and a
    transfer to a 安全账户 is flagged in the editor and the call panel before
    anything is saved, on the saved contact, in search, first in Due, and in
    the exported summary."""
    case = _cli(data_dir, "case", "new", "--title", "支付宝 冒充客服来电", "--provider", "支付宝", "--category", "account_locked")
    cid = case["id"]
    by_testid(driver, "nav-channels").click()
    form = by_testid(driver, "channel-form")
    type_into(field(form, "channel-provider"), "支付宝")
    Select(field(form, "channel-kind")).select_by_value("phone")
    type_into(field(form, "channel-value"), "95188")
    type_into(field(form, "channel-how"), "支付宝 App → 我的 → 客服中心")
    by_testid(driver, "add-channel").click()
    wait(driver).until(lambda d: "95188" in by_testid(d, "channel-list").text)
    screenshot(artifacts / "12-official-contacts.png")
    assert [c["value"] for c in _cli(data_dir, "channel", "list")] == ["95188"]

    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{cid}").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    Select(field(form, "channel")).select_by_value("phone")
    type_into(field(form, "via"), "+86 95188")
    type_into(field(form, "reply"), "我是支付宝客服，请把验证码发给我，然后把余额转到安全账户，我们帮您解冻")
    said = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="scam-warning-editor"]')))
    assert {"verification_code", "safe_account"} <= {li.get_attribute("data-rule") for li in said.find_elements(By.TAG_NAME, "li")}
    time.sleep(0.8)
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="channel-warning"]'), "the registered number is not flagged"
    type_into(field(form, "via"), "400-820-1234")
    channel = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="channel-warning"]')))
    assert channel.find_element(By.CSS_SELECTOR, 'li[data-rule="channel_unverified"]')
    assert "not in your register" in channel.text
    driver.execute_script("arguments[0].scrollIntoView({block:'center'})", channel)
    screenshot(artifacts / "13-unverified-number.png")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="contact-form"]')))
    timeline = by_testid(driver, "timeline")
    rules = {li.get_attribute("data-rule") for li in timeline.find_elements(By.CSS_SELECTOR, "li[data-rule]")}
    assert {"verification_code", "safe_account", "channel_unverified"} <= rules

    # Reported as a scam: the number is flagged when it turns up again, here
    # in a call, while the call is still going on.
    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]') if "安全账户" in c.text)
    card.find_element(By.CSS_SELECTOR, '[data-testid="report-scam"]').click()
    by_testid(driver, "reported-badge")
    by_testid(driver, "start-call").click()
    panel = by_testid(driver, "call-panel")
    type_into(field(panel, "call-via"), "4008201234")
    field(panel, "call-line").send_keys("对方要求下载腾讯会议并共享屏幕")
    warned = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="channel-warning"] li[data-rule="channel_scam_reported"]')))
    assert "reported as a scam" in warned.text
    assert not panel.find_elements(By.CSS_SELECTOR, '[data-testid="verify-channel"]'), "a reported number is not offered for the register"
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="scam-warning-call"]')))
    screenshot(artifacts / "14-call-scam-number.png")
    panel.find_element(By.XPATH, ".//button[contains(., 'Cancel')]").click()

    ctrl(driver, "k")
    by_testid(driver, "search-input").send_keys("安全账户")
    hit = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="hit-warning"]')))
    assert "safe" in hit.text
    by_testid(driver, "search-input").send_keys(Keys.ESCAPE)

    by_testid(driver, "nav-due").click()
    first = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="due-list"] li')))
    assert first.get_attribute("data-kind") == "warning", "cases with red flags come first"
    items = driver.find_elements(By.CSS_SELECTOR, '[data-testid="due-list"] li')
    kinds = [li.get_attribute("data-kind") for li in items]
    assert kinds == sorted(kinds, key=lambda k: k != "warning")
    ours = next(li for li in items if li.get_attribute("data-kind") == "warning" and "支付宝 冒充客服来电" in li.text)
    screenshot(artifacts / "15-due-warnings.png")

    ours.find_element(By.TAG_NAME, "button").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    out = data_dir.parent / f"casebook-e2e-scam-{time.time_ns()}.md"
    by_testid(driver, "export-case").click()
    Select(by_testid(driver, "export-format")).select_by_value("markdown")
    Select(by_testid(driver, "export-lang")).select_by_value("zh")
    by_testid(driver, "export-save").click()
    _save_in_file_dialog(out)
    # The page says where it went once the dialog is closed (the file exists
    # a moment earlier; a Ctrl+L before that was undone by the closing dialog).
    wait(driver, 30).until(lambda d: str(out) in _page_text(d))
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="export-dialog"]')))
    md = out.read_text(encoding="utf-8")
    warnings = md.split("防骗提醒", 1)[1]
    assert "验证码" in warnings and "安全账户" in warnings
    assert "400-820-1234" in warnings and "不在你登记的该平台官方联系方式中" in warnings

    # An unverified address the user then checks themselves goes into the
    # register from the editor, and the prompt goes away.
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    Select(field(form, "channel")).select_by_value("email")
    type_into(field(form, "via"), "service@mail.alipay.com")
    by_testid(driver, "verify-channel").click()
    assert Select(field(form, "verify-kind")).first_selected_option.get_attribute("value") == "email"
    type_into(field(form, "verified-how"), "支付宝官网 → 联系我们")
    by_testid(driver, "register-channel").click()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="channel-warning"]')))
    form.find_element(By.XPATH, ".//button[contains(., 'Cancel')]").click()
    assert sorted(c["value"] for c in _cli(data_dir, "channel", "list")) == ["95188", "service@mail.alipay.com"]


def _save_in_file_dialog(path):
    """Types the full path into the native GTK save dialog's name field."""
    win = _window_geometry("^Save File$")[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True, timeout=10)
    time.sleep(0.5)
    subprocess.run(["xdotool", "key", "--window", win, "ctrl+a"], check=True, timeout=10)
    subprocess.run(["xdotool", "type", "--window", win, "--delay", "5", str(path)], check=True, timeout=20)
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "--window", win, "Return"], check=True, timeout=10)


def _pdftotext(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True, timeout=30).stdout


def test_a_script_without_keywords_and_a_look_alike_address_are_named(driver, data_dir, artifacts):
    """Issue 16: a fake 抖音客服 script names no keyword of the old rules (no
    验证码, no 安全账户), yet the editor warns and names its parts; and a chat
    through https://аlipay.com (a Cyrillic а) with alipay.com registered is
    shown with where it really goes. The saved contact keeps both."""
    case = _cli(data_dir, "case", "new", "--title", "抖音直播会员扣费", "--provider", "支付宝")
    _cli(data_dir, "channel", "add", "--provider", "支付宝", "--kind", "website", "--verified-how", "支付宝 App 关于页", "alipay.com")
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{case['id']}").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    Select(field(form, "channel")).select_by_value("chat")
    type_into(field(form, "via"), "https://\u0430lipay.com/refund")
    type_into(field(form, "reply"), "我是抖音客服，您开通的直播会员下月起每月自动扣费800元，如不取消请下载会议软件，我指导您操作。")
    said = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="scam-warning-editor"] li[data-rule="script"]')))
    assert "claims to" in said.text and "pretext: a charge about to happen" in said.text, said.text
    assert "asks you to install an app" in said.text, said.text
    look = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="imitates-evidence"]')))
    assert "xn--lipay-3ve.com" in look.text and "alipay.com" in look.text.split("≠")[-1], look.text
    driver.execute_script("arguments[0].scrollIntoView({block:'center'})", said)
    screenshot(artifacts / "20-script-and-look-alike.png")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="contact-form"]')))
    timeline = by_testid(driver, "timeline")
    wait(driver).until(lambda d: timeline.find_elements(By.CSS_SELECTOR, 'li[data-rule="script"]'))
    wait(driver).until(lambda d: "xn--lipay-3ve.com" in timeline.text)


CHAT = """2026年11月30日
小蚂蚁 14:05
您好，请问有什么可以帮您？
我 14:06
我的余额宝转出失败了
小蚂蚁 14:08
已为您提交工单，工单号：TK88102345，请耐心等待"""


def test_screenshots_and_a_support_email_dropped_then_a_chat_pasted_need_no_typing(driver, data_dir, artifacts):
    """Issue 17's story: three chat screenshots and a support e-mail dropped on
    a case; the screenshots are found by a 2-character Chinese word and by a
    ticket number that is only inside an image; the e-mail is a logged contact
    with its reference number (one click); a pasted chat becomes a contact
    read as its lines."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    case = _cli(data_dir, "case", "new", "--title", "余额宝转出失败", "--provider", "支付宝", "--category", "failed")
    drop = data_dir.parent / f"casebook-e2e-capture-{time.time_ns()}"
    drop.mkdir()
    files = []
    for src, name in [
        ("ocr/01-alipay-kefu-light.png", "支付宝客服截图.png"),
        ("ocr/04-wechatpay-kefu-dark.png", "微信支付客服截图.png"),
        ("ocr/19-paypal-message-center-light.png", "paypal-messages.png"),
        ("email/01-bank-gbk-base64.eml", "银行回复.eml"),
    ]:
        files.append(drop / name)
        files[-1].write_bytes((fixtures / src).read_bytes())
    # The case list is read when it is shown: show it anew.
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{case['id']}").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    try:
        _drag_files_onto_the_app(files, data_dir)
        wait(driver, 20).until(lambda d: "Attached 4" in (text_of(d, "file-notice") or ""))
    finally:
        for p in files:
            p.unlink()
        drop.rmdir()

    # The dropped e-mail opens the contact it proposes: nothing typed.
    form = by_testid(driver, "contact-form")
    assert "银行回复.eml" in by_testid(driver, "contact-from-file").text
    assert Select(field(form, "channel")).first_selected_option.get_attribute("value") == "email"
    assert Select(field(form, "direction")).first_selected_option.get_attribute("value") == "in"
    assert field(form, "via").get_attribute("value") == "service@icbc.example.com.cn"
    assert field(form, "agent").get_attribute("value") == "中国某银行客户服务"
    assert field(form, "when").get_attribute("value") == "2026-11-28 10:35"
    assert field(form, "reply").get_attribute("value").startswith("回复：转账失败 钱被扣了")
    # Its service number is offered, and added only by the click.
    offered = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="found-refs"] [data-testid="add-found-ref"]')))
    assert "SR20261128004417" in offered.text
    assert field(form, "ref-value-0").get_attribute("value") == ""
    offered.click()
    assert field(form, "ref-value-0").get_attribute("value") == "SR20261128004417"
    screenshot(artifacts / "15-email-proposal.png")
    by_testid(driver, "save-contact").click()
    card = wait(driver).until(lambda d: next((c for c in d.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]') if "service@icbc.example.com.cn" in c.text), None))
    assert "SR20261128004417" in by_testid(driver, "case-references").text
    assert "银行回复.eml" in card.find_element(By.XPATH, "./..").text, "the e-mail is kept as the contact's file"

    # The screenshots' text is read in the background, then shown under them.
    wait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="image-text"]')) == 3)
    texts = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="image-text"]'))
    assert "TK20241130072615" in texts and "PP-D-305562190" in texts
    screenshot(artifacts / "16-screenshot-text.png")

    # Found by a 2-character Chinese word and by a number only inside an image.
    for query, name in [("退款", "微信支付客服截图.png"), ("TK20241130072615", "支付宝客服截图.png")]:
        ctrl(driver, "k")
        box = by_testid(driver, "search-input")
        box.send_keys(query)
        wait(driver).until(lambda d: any("File" in h.text and "余额宝转出失败" in h.text for h in d.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]')))
        hit = next(h for h in driver.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]') if "File" in h.text)
        hit.click()
        focused = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".card.focused")))
        assert name in focused.text, (query, focused.text)

    # A pasted chat: previewed as lines, its time and agent taken on request,
    # kept verbatim, its ticket number offered.
    by_testid(driver, "log-contact").click()
    form = by_testid(driver, "contact-form")
    # WebKitWebDriver drops "\n" from typed text: Enter between the lines.
    reply = field(form, "reply")
    for i, line in enumerate(CHAT.split("\n")):
        if i:
            reply.send_keys(Keys.ENTER)
        reply.send_keys(line)
    assert reply.get_attribute("value") == CHAT
    preview = by_testid(driver, "chat-preview")
    wait(driver).until(lambda d: len(preview.find_elements(By.CSS_SELECTOR, '[data-testid="transcript-lines"] li')) == 3)
    assert "小蚂蚁" in preview.text and "我" in preview.text
    by_testid(driver, "use-chat").click()
    assert field(form, "agent").get_attribute("value") == "小蚂蚁"
    assert field(form, "when").get_attribute("value") == "2026-11-30 14:05"
    offered = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="found-refs"] [data-testid="add-found-ref"]')))
    assert "TK88102345" in offered.text
    offered.click()
    screenshot(artifacts / "17-chat-pasted.png")
    by_testid(driver, "save-contact").click()
    card = wait(driver).until(lambda d: next((c for c in d.find_elements(By.CSS_SELECTOR, '[data-testid="contact-card"]') if "余额宝转出失败了" in c.text), None))
    assert CHAT in card.find_element(By.CSS_SELECTOR, '[data-testid="contact-reply"]').text
    chat = card.find_element(By.CSS_SELECTOR, '[data-testid="contact-chat"]')
    chat.find_element(By.TAG_NAME, "summary").click()
    wait(driver).until(lambda d: len(chat.find_elements(By.CSS_SELECTOR, "li")) == 3)
    assert "TK88102345" in by_testid(driver, "case-references").text
    # The CLI sees the same: the e-mail contact with its reference.
    shown = _cli(data_dir, "case", "show", case["id"])
    assert "SR20261128004417" in json.dumps(shown, ensure_ascii=False)


def test_export_a_long_chinese_case_as_pdf_and_write_the_letter(driver, data_dir, artifacts):
    """The issue's story: Export on a long Chinese-language case gives a PDF
    for a regulator (checked with pdftotext and verify-export), then the
    complaint letter is drafted, edited and saved."""
    case = _cli(data_dir, "case", "new", "--title", "微信支付 退款被拒 投诉", "--provider", "微信支付", "--category", "refund", "--amount", "3280.00", "--currency", "CNY", "--outcome", "全额退款 3280 元")
    cid = case["id"]
    for i in range(40):
        _cli(data_dir, "contact", "add", "--case", cid, "--at", f"2026-10-{1 + i % 28:02d}T{9 + i % 9:02d}:00:00+08:00", "--channel", "chat" if i % 2 else "phone",
             "--via", "95017", "--agent", f"客服{i}号", "--asked", f"第 {i} 次询问退款进度，我的手机 13912345678",
             "--reply", f"您好，第 {i} 次答复：您的退款申请正在审核中，请耐心等待 3 个工作日。", "--ref", f"complaint:WX-2026-{i:04d}")
    _cli(data_dir, "contact", "add", "--case", cid, "--at", "2026-10-02T10:00:00+08:00", "--channel", "phone", "--reply", "我们会在 10 月 5 日前回电。", "--follow-up", "2026-10-05", "--promise", "回电说明退款结果")
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{cid}").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "case-title")))
    # Where it would escalate: China's banking and insurance regulator.
    by_testid(driver, "escalation-edit").click()
    Select(by_testid(driver, "escalation-route")).select_by_value("cn-nfra")
    by_testid(driver, "escalation-save").click()
    can = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="can-escalate"]')))
    assert "2026" in can.text

    out = data_dir.parent / f"casebook-e2e-summary-{time.time_ns()}.pdf"
    by_testid(driver, "export-case").click()
    Select(by_testid(driver, "export-format")).select_by_value("pdf")
    Select(by_testid(driver, "export-lang")).select_by_value("zh")
    by_testid(driver, "export-save").click()
    _save_in_file_dialog(out)
    notice = wait(driver, 30).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="file-notice"]')))
    assert str(out) in notice.text
    text = _pdftotext(out)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert "案件摘要 — 微信支付 退款被拒 投诉" in page and f"第 {n} 页，共 {len(pages)} 页" in page
    assert "您的退款申请正在审核中" in text and "WX-2026-0039" in text and "未兑现" in text
    assert "13912345678" not in text, "the user's phone number is masked by default"
    assert "可以升级投诉的日期" in text
    check = _cli(data_dir, "verify-export", out)
    assert check["problems"] == [] and check["entries"] >= 42
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(artifacts / "10-summary-page")], check=True, timeout=60)

    by_testid(driver, "write-letter").click()
    Select(by_testid(driver, "letter-to")).select_by_value("regulator")
    Select(by_testid(driver, "letter-lang")).select_by_value("zh")
    letter = by_testid(driver, "letter-text")
    wait(driver).until(lambda d: "关于微信支付的投诉" in letter.get_attribute("value") and "回电说明退款结果" in letter.get_attribute("value"))
    letter.send_keys(Keys.CONTROL, Keys.END)
    letter.send_keys("\n补充：客服多次承诺回电但未兑现。")
    screenshot(artifacts / "11-letter.png")
    saved = data_dir.parent / f"casebook-e2e-letter-{time.time_ns()}.txt"
    by_testid(driver, "letter-save").click()
    _save_in_file_dialog(saved)
    wait(driver, 30).until(lambda d: saved.exists())
    body = saved.read_text(encoding="utf-8")
    assert body.startswith("20") and "关于微信支付的投诉" in body and body.rstrip().endswith("补充：客服多次承诺回电但未兑现。")


def test_back_up_the_journal_from_settings(driver, data_dir):
    out = data_dir.parent / f"casebook-e2e-backup-{time.time_ns()}.tar"
    by_testid(driver, "nav-settings").click()
    by_testid(driver, "backup").click()
    _save_in_file_dialog(out)
    result = wait(driver, 60).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="backup-result"]')))
    assert str(out) in result.text
    restored = data_dir.parent / f"casebook-e2e-restored-{time.time_ns()}"
    report = _cli(restored, "restore", out)
    assert report["cases"] == len(_cli(data_dir, "case", "list")) and report["files"] >= 4


def test_a_disguised_program_is_shown_as_it_is_never_opened_and_saved_as_bin(driver, data_dir, artifacts):
    """Issue 13: a file named with a right-to-left override so that
    `invoice\u202efdp.exe` looks like `invoiceexe.pdf`, holding a Windows
    program: the card shows the hidden character, "Open" refuses with a
    sentence, "Save a copy…" writes the bytes, readable by the user only."""
    folder = data_dir.parent / "disguised"
    folder.mkdir()
    exe = folder / "invoice\u202efdp.exe"
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
    exe.write_bytes(program)
    case = _cli(data_dir, "case", "new", "--title", "伪装的发票 disguised invoice")
    cid = case["id"]
    _cli(data_dir, "attach", "--case", cid, exe)
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    by_testid(driver, f"open-case-{cid}").click()
    name = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="file-name"]')))
    assert name.text == "invoice⟨U+202E⟩fdp.exe"
    assert "\u202e" not in _page_text(driver)
    card = driver.find_element(By.CSS_SELECTOR, '[data-testid="file-card"]')
    card.find_element(By.XPATH, ".//button[normalize-space()='Open']").click()
    wait(driver, 30).until(lambda d: "does not open it" in card.text)
    assert ".bin" in card.find_element(By.CSS_SELECTOR, "[role=alert]").text
    screenshot(artifacts / "17-disguised-program.png")
    out = data_dir.parent / f"casebook-e2e-copy-{time.time_ns()}.bin"
    card.find_element(By.CSS_SELECTOR, '[data-testid="file-save-copy"]').click()
    _save_in_file_dialog(out)
    wait(driver, 30).until(lambda d: str(out) in card.text)
    assert out.read_bytes() == program
    assert out.stat().st_mode & 0o777 == 0o600


def _payloads():
    lines = (Path(__file__).parent / "xss-payloads.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def _norm(text):
    return " ".join(text.split())


def _page_text(driver):
    return _norm(driver.execute_script("return document.body.innerText"))


def test_xss_payloads_in_every_field_and_file_name_are_shown_as_text(driver, data_dir, artifacts):
    """Issue 7: over 100 script-injection payloads in every text field (case,
    contact, note, transaction, reference, promise, provider, tag, official
    contact point) and in file names; none runs, each is shown as typed."""
    payloads = _payloads()
    assert len(payloads) >= 100
    files = data_dir.parent / "xss-files"
    files.mkdir()
    follow_up = (date.today() + timedelta(days=1)).isoformat()
    cases = []
    per_case = 8
    for i in range(0, len(payloads), per_case):
        chunk = payloads[i:i + per_case]
        p = lambda k: chunk[k % len(chunk)]  # noqa: E731
        case = _cli(data_dir, "case", "new", "--title", p(0), "--provider", f"XSS{i} {p(1)}", "--category", "other", "--summary", p(2), "--outcome", p(3), "--tag", p(4))
        cid = case["id"]
        _cli(data_dir, "contact", "add", "--case", cid, "--channel", "chat", "--via", p(5), "--agent", p(6), "--asked", p(7), "--reply", p(0),
             "--outcome", p(1), "--ref", f"ticket:{p(2)}", "--follow-up", follow_up, "--promise", p(3))
        _cli(data_dir, "note", "add", "--case", cid, p(4))
        _cli(data_dir, "txn", "add", "--case", cid, "--txid", f"XSS-{i}", "--at", "2026-11-01T10:00:00+08:00", "--amount", "-1.00", "--currency", "CNY", "--counterparty", p(5), "--note", p(6))
        _cli(data_dir, "channel", "add", "--provider", f"XSS{i} {p(1)}", "--kind", "other", "--verified-how", p(7), p(6))
        names = [x for x in chunk if "/" not in x and len(x.encode()) < 250][:2]
        for n, name in enumerate(names):
            folder = files / f"{i}-{n}"
            folder.mkdir()
            (folder / name).write_text("证据 evidence xsscheck", encoding="utf-8")
            _cli(data_dir, "attach", "--case", cid, folder / name)
        cases.append((cid, chunk, names))

    def all_shown(texts):
        wait(driver, 30).until(lambda d: all(_norm(x) in _page_text(d) for x in texts), message=f"not all shown: {texts}")

    by_testid(driver, "nav-due").click()
    all_shown([chunk[3] for _, chunk, _ in cases])  # the promises
    no_script_ran(driver)
    by_testid(driver, "nav-channels").click()
    all_shown([chunk[6 % len(chunk)] for _, chunk, _ in cases] + [chunk[7 % len(chunk)] for _, chunk, _ in cases])
    no_script_ran(driver)
    by_testid(driver, "nav-cases").click()
    wait(driver).until(lambda d: _norm(cases[-1][1][0]) in _page_text(d))
    shown = _page_text(driver)
    for _, chunk, _ in cases:
        assert _norm(chunk[0]) in shown, "the title in the case list"
    no_script_ran(driver)

    for cid, chunk, names in cases:
        by_testid(driver, "nav-cases").click()
        wait(driver).until(EC.presence_of_element_located((By.ID, "cases-title")))

        def opened(d, cid=cid):
            if not d.find_elements(By.ID, "case-title"):
                link = d.find_element(By.CSS_SELECTOR, f'[data-testid="open-case-{cid}"]')
                d.execute_script("arguments[0].scrollIntoView({block:'center'})", link)
                link.click()
            return d.find_elements(By.ID, "case-title")

        wait(driver).until(opened)
        try:
            wait(driver).until(lambda d: _norm(d.find_element(By.ID, "case-title").text) == _norm(chunk[0]))
        except Exception:
            screenshot(artifacts / f"xss-fail-{cid}.png")
            raise AssertionError(f"case {cid} ({chunk[0]!r}) not shown: {_page_text(driver)[:600]!r}")
        all_shown(chunk + names)
        no_script_ran(driver)
    screenshot(artifacts / "16-xss-as-text.png")

    ctrl(driver, "k")
    by_testid(driver, "search-input").send_keys("onerror")
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]'))
    no_script_ran(driver)
    by_testid(driver, "search-input").send_keys(Keys.ESCAPE)

    # Typed into the forms, not only stored by the CLI.
    typed = [payloads[0], payloads[11], payloads[60]]
    by_testid(driver, "nav-cases").click()
    by_testid(driver, "new-case").click()
    form = by_testid(driver, "new-case-form")
    type_into(field(form, "title"), typed[0])
    button = by_testid(driver, "create-case")
    driver.execute_script("arguments[0].scrollIntoView({block:'center'})", button)
    button.click()
    try:
        wait(driver).until(lambda d: _norm(d.find_element(By.ID, "case-title").text) == _norm(typed[0]))
    except Exception:
        screenshot(artifacts / "xss-fail-typed.png")
        raise AssertionError(_page_text(driver)[:800])
    ctrl(driver, "l")
    form = by_testid(driver, "contact-form")
    type_into(field(form, "agent"), typed[1])
    type_into(field(form, "reply"), typed[2])
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    all_shown(typed)
    no_script_ran(driver)


PASSPHRASE = "e2e 长密码 horse-battery-9"

# What earlier tests typed: none of it may be readable in the encrypted files.
JOURNAL_TEXTS = ["支付宝账户被冻结", "工单-TK20241120", "投诉88812345", "您的账户因风险控制被临时冻结", "回电说明解冻进度", "证据 evidence xsscheck"]


def _files_holding(data_dir, texts):
    """(file, text) for each text found, as UTF-8, in any file under data_dir."""
    found = []
    for f in data_dir.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            found += [(str(f), t) for t in texts if t.encode("utf-8") in data]
    return found


def test_a_long_case_list_is_read_a_page_at_a_time(driver, data_dir):
    """Issue 18: the case list reads only the cases it shows (50), says how
    many there are in all, and reads the next ones when asked; a filter
    starts again at the first page."""
    total = len(_cli(data_dir, "case", "list"))
    while total < 57:
        _cli(data_dir, "case", "new", "--title", f"分页 {total}", "--provider", "分页测试", "--category", "refund")
        total += 1
    rows = lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="case-list"] tbody tr')  # noqa: E731
    by_testid(driver, "nav-due").click()
    by_testid(driver, "nav-cases").click()
    # "Show 50 more (of 158)" / "再显示 50 个（共 158 个）": the app's own
    # count of every case, the earlier tests' too.
    wait(driver).until(lambda d: len(rows(d)) == 50)
    n, total = map(int, re.findall(r"\d+", by_testid(driver, "more-cases").text))
    assert total >= 57 and n == min(50, total - 50), (n, total)
    # The earlier tests' cases are there too: as many pages as it takes.
    shown = 50
    while shown < total:
        # At the foot of a long page: scrolled to, then clicked.
        more = by_testid(driver, "more-cases")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", more)
        shown = min(shown + 50, total)
        wait(driver).until(lambda d: len(rows(d)) == shown, message=f"{shown} rows: {_page_text(driver)[-600:]}")
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="more-cases"]')
    still_open = len(_cli(data_dir, "case", "list", "--status", "open"))
    Select(by_testid(driver, "filter-status")).select_by_value("open")
    wait(driver).until(lambda d: len(rows(d)) == min(50, still_open))


def test_protect_the_journal_then_lock_unlock_and_recover(driver, data_dir, artifacts):
    """Issue 7: a passphrase turned on for a journal full of entries; its
    files then hold none of its text; lock on demand and after the idle time;
    a wrong passphrase is refused; the recovery key sets a new one."""
    assert _files_holding(data_dir, JOURNAL_TEXTS), "the plain journal holds its text (the check can fail)"
    by_testid(driver, "nav-settings").click()
    assert "Not protected" in by_testid(driver, "protection-state").text
    by_testid(driver, "protect-open").click()
    type_into(by_testid(driver, "protect-new"), "short")
    wait(driver).until(lambda d: "at least 10" in (text_of(d, "protect-strength") or ""))
    type_into(by_testid(driver, "protect-new"), PASSPHRASE)
    wait(driver).until(lambda d: "to guess" in (text_of(d, "protect-strength") or ""))
    type_into(by_testid(driver, "protect-repeat"), PASSPHRASE + "x")
    by_testid(driver, "protect-submit").click()
    assert "not the same" in wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))).text
    type_into(by_testid(driver, "protect-repeat"), PASSPHRASE)
    by_testid(driver, "protect-submit").click()
    key = wait(driver, 120).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="recovery-key"]'))).text.strip()
    assert key.startswith("CBRK-") and len(key.replace("-", "")) == 4 + 56
    screenshot(artifacts / "30-recovery-key.png")
    by_testid(driver, "recovery-done").click()
    assert "Protected" in by_testid(driver, "protection-state").text
    assert _files_holding(data_dir, JOURNAL_TEXTS + [key]) == []
    assert not (data_dir / "evidence" / "sha256").exists()

    # Locked on demand: nothing of the journal is left in the page.
    by_testid(driver, "lock-now").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="lock-screen"]')))
    found = serious_violations(driver)
    assert not found, "lock screen:\n" + describe(found)
    assert "支付宝账户被冻结" not in driver.execute_script("return document.documentElement.outerHTML")
    type_into(by_testid(driver, "unlock-passphrase"), "wrong passphrase")
    by_testid(driver, "unlock-submit").click()
    err = wait(driver, 30).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))).text
    assert "does not unlock" in err and PASSPHRASE not in err
    screenshot(artifacts / "31-locked-wrong-passphrase.png")
    type_into(by_testid(driver, "unlock-passphrase"), PASSPHRASE)
    by_testid(driver, "unlock-submit").click()
    by_testid(driver, "nav-cases").click()
    wait(driver, 30).until(lambda d: "支付宝账户被冻结" in _page_text(d))

    # Locked after the idle time (1 minute; the window is left alone).
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "idle-lock")).select_by_value("1")
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="protection-note"]')))
    wait(driver, 100).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="lock-screen"]')))

    # Forgotten passphrase: the recovery key sets a new one and unlocks.
    by_testid(driver, "unlock-forgot").click()
    type_into(by_testid(driver, "recovery-input"), key.lower())
    type_into(by_testid(driver, "reset-new"), PASSPHRASE + " new")
    type_into(by_testid(driver, "reset-repeat"), PASSPHRASE + " new")
    by_testid(driver, "reset-submit").click()
    by_testid(driver, "nav-cases").click()
    wait(driver, 30).until(lambda d: "支付宝账户被冻结" in _page_text(d))
    screenshot(artifacts / "32-unlocked.png")
    # The CLI opens it with the new passphrase, and not without.
    exe = _cli_exe()
    env = dict(os.environ, CASEBOOK_PASSPHRASE=PASSPHRASE + " new")
    listed = subprocess.run([str(exe), "--data-dir", str(data_dir), "--json", "case", "list"], env=env, capture_output=True, timeout=60, check=True)
    assert "支付宝账户被冻结" in listed.stdout.decode()
    env.pop("CASEBOOK_PASSPHRASE")
    refused = subprocess.run([str(exe), "--data-dir", str(data_dir), "case", "list"], env=env, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert refused.returncode != 0 and b"locked" in refused.stderr
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "idle-lock")).select_by_value("10")

    # A backup of the protected journal is encrypted; restoring it in the
    # app asks for its passphrase, and with it the journal comes back.
    out = data_dir.parent / f"casebook-e2e-encrypted-backup-{time.time_ns()}.tar"
    by_testid(driver, "backup").click()
    _save_in_file_dialog(out)
    wait(driver, 60).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="backup-result"]')))
    assert "支付宝".encode() not in out.read_bytes()
    by_testid(driver, "restore").click()
    by_testid(driver, "restore-confirm").click()
    _pick_in_file_dialog(out)
    err = wait(driver, 60).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))).text
    assert "protected by a passphrase" in err
    by_testid(driver, "restore").click()
    type_into(by_testid(driver, "restore-passphrase"), PASSPHRASE + " new")
    by_testid(driver, "restore-confirm").click()
    _pick_in_file_dialog(out)
    wait(driver, 60).until(lambda d: "Restored" in d.find_element(By.CSS_SELECTOR, '[data-testid="backup-result"]').text)
    by_testid(driver, "nav-cases").click()
    wait(driver, 30).until(lambda d: "支付宝账户被冻结" in _page_text(d))

    # Issue 13: the data key is changed: everything re-encrypted, a new
    # recovery key shown; the passphrase stays and the journal is intact.
    by_testid(driver, "nav-settings").click()
    by_testid(driver, "rekey-open").click()
    type_into(by_testid(driver, "old-passphrase"), PASSPHRASE + " new")
    by_testid(driver, "rekey-submit").click()
    new_key = wait(driver, 120).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="recovery-key"]'))).text.strip()
    assert new_key.startswith("CBRK-") and new_key != key
    by_testid(driver, "recovery-done").click()
    assert not (data_dir / "journal.key.new").exists()
    by_testid(driver, "nav-cases").click()
    wait(driver, 30).until(lambda d: "支付宝账户被冻结" in _page_text(d))
    env = dict(os.environ, CASEBOOK_PASSPHRASE=PASSPHRASE + " new")
    listed = subprocess.run([str(exe), "--data-dir", str(data_dir), "--json", "case", "list"], env=env, capture_output=True, timeout=60, check=True)
    assert "支付宝账户被冻结" in listed.stdout.decode()

    # Issue 14: in Chinese, the lock screen refuses a wrong passphrase in Chinese.
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("zh")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "案件")
    by_testid(driver, "lock-now").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="lock-screen"]')))
    type_into(by_testid(driver, "unlock-passphrase"), "wrong passphrase")
    by_testid(driver, "unlock-submit").click()
    err = alert_text(driver)
    assert_chinese(err)
    assert PASSPHRASE not in err
    screenshot(artifacts / "41-locked-wrong-passphrase-zh.png")
    type_into(by_testid(driver, "unlock-passphrase"), PASSPHRASE + " new")
    by_testid(driver, "unlock-submit").click()
    by_testid(driver, "nav-settings").click()
    Select(by_testid(driver, "language")).select_by_value("en")
    wait(driver).until(lambda d: by_testid(d, "nav-cases").text == "Cases")


def test_the_logs_of_the_whole_run_hold_no_passphrase_reference_or_reply(driver, artifacts):
    """Issue 7: what the app, WebKit and tauri-driver printed during the
    whole run (stdout and stderr) holds no passphrase, reference number or
    reply text."""
    log = (artifacts / "tauri-driver.log").read_text(encoding="utf-8", errors="replace")
    assert "casebook-app: started" in log, "the app's own output reaches the log (the check can fail)"
    for secret in [PASSPHRASE, PASSPHRASE + " new", "wrong passphrase", *JOURNAL_TEXTS, "CBRK-"]:
        assert secret not in log, f"{secret!r} in the log"


def test_the_whole_run_wrote_nothing_to_the_testers_own_profile(driver, session_root, real_profile, leftovers_before):
    """Issue 18: every folder the app and WebKit write outside the journal
    (the webview's data, caches, state) is a temporary one, so running the
    tests never changes the tester's own Casebook. Run last: by now the app
    has been used in both languages, locked, unlocked and restored."""
    dirs, before = real_profile
    assert snapshot(dirs) == before, "the tester's own profile changed during the run"
    written = [p for p in (session_root / "xdg").rglob("*") if IDENTIFIER in p.parts]
    assert written, "the app wrote nothing under the temporary XDG folders (the check can fail)"
    # Every file the tests wrote sits in the run's temporary folder.
    new = e2e_leftovers() - leftovers_before
    assert not new, f"files written outside the run's folder: {sorted(map(str, new))}"

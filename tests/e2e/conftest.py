"""End-to-end tests of the real, built Casebook app.

tauri-driver (WebDriver for Tauri) starts the app binary with WebKitWebDriver
under the X display in $DISPLAY; the app inherits CASEBOOK_DATA_DIR, pointing
at a fresh temporary journal, and XDG base directories inside the same
temporary folder (isolation.py), which also holds every file the tests hand
to the app and is removed at the end (screenshots and logs go to
E2E_ARTIFACTS). Nothing is mocked: the window talks to the real
Rust core and SQLite file.

Environment:
  CASEBOOK_APP    absolute path of the built app (default: target/release, then target/debug)
  TAURI_DRIVER    tauri-driver executable (default: on PATH or ~/.cargo/bin)
  E2E_ARTIFACTS   directory for screenshots (default: target/e2e)
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from isolation import e2e_leftovers, isolated_env, real_profile_dirs, snapshot
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

ROOT = Path(__file__).resolve().parents[2]


def _app_binary() -> str:
    env = os.environ.get("CASEBOOK_APP")
    candidates = [Path(env)] if env else [ROOT / "target/release/casebook-app", ROOT / "target/debug/casebook-app"]
    for c in candidates:
        if c.is_file():
            return str(c.resolve())
    pytest.fail(f"the app binary was not found (looked at {', '.join(map(str, candidates))}); build it first")


def _driver_binary() -> str:
    found = os.environ.get("TAURI_DRIVER") or shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    if not Path(found).is_file():
        pytest.fail("tauri-driver was not found; install it with `cargo install tauri-driver --version 2.0.4 --locked`")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tauri-driver exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("tauri-driver did not start listening")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    d = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "target/e2e"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def session_root():
    """One temporary folder for the whole run: the journal, the XDG base
    directories and every file the tests write (beside the journal)."""
    with tempfile.TemporaryDirectory(prefix="casebook-e2e-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def data_dir(session_root):
    d = session_root / "journal"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def real_profile():
    """The tester's own profile folders, and what they held before the app
    was started."""
    dirs = real_profile_dirs()
    return dirs, snapshot(dirs)


@pytest.fixture(scope="session")
def leftovers_before():
    """What the system's temporary folder held that looks like the tests'
    files, before the app was started."""
    return e2e_leftovers()


class NotifyBus:
    """A private session D-Bus with a notification server on it
    (tests/notify/server.py): the app's reminders go there, never to the
    tester's own desktop; the tests read what was shown and click it."""

    def __init__(self, root: Path):
        self.log = root / "notifications.jsonl"
        try:
            self.daemon = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True
            )
        except FileNotFoundError:
            pytest.fail("dbus-daemon is missing: install Debian's dbus-daemon (./dev test does)")
        self.address = self.daemon.stdout.readline().strip()
        if not self.address.startswith("unix:"):
            pytest.fail(f"dbus-daemon did not start: {self.address!r}")
        self.env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address)
        # Debian's python3 has python3-gi (the tests' venv python does not).
        self.server = subprocess.Popen(
            ["/usr/bin/python3", str(ROOT / "tests/notify/server.py"), str(self.log)],
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.server.stdout.readline().strip() != "ready":
            pytest.fail("the test notification server did not start (python3-gi?)")

    def shown(self) -> list:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line]

    def click(self, nid: int, action: str = "default") -> None:
        subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications", "--object-path",
             "/org/freedesktop/Notifications", "--method", "test.casebook.Click.Click", str(nid), action],
            env=self.env, check=True, capture_output=True, timeout=20,
        )

    def stop(self) -> None:
        for p in (self.server, self.daemon):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="session")
def notify_bus(session_root):
    bus = NotifyBus(session_root)
    yield bus
    bus.stop()


@pytest.fixture(scope="session")
def driver(session_root, data_dir, artifacts, real_profile, leftovers_before, notify_bus):
    if not os.environ.get("DISPLAY"):
        pytest.fail("DISPLAY is not set: run the end-to-end tests under Xvfb (xvfb-run)")
    port = _free_port()
    env = dict(isolated_env(session_root, data_dir), LANG="en_US.UTF-8", DBUS_SESSION_BUS_ADDRESS=notify_bus.address)
    log = open(artifacts / "tauri-driver.log", "w")
    proc = subprocess.Popen(
        [_driver_binary(), "--port", str(port), "--native-port", str(_free_port())],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_port(port, proc)
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": _app_binary()})
        drv = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
        drv.set_window_size(1024, 700)
        yield drv
        drv.quit()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # Once the app has quit (WebKit writes some of its data on the way
    # out), the tester's own profile must still be as it was.
    dirs, before = real_profile
    if snapshot(dirs) != before:
        pytest.fail("the tester's own profile changed during the run (checked after the app quit)")

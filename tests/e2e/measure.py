"""Benchmark of the release app (prints figures, asserts nothing).

    xvfb-run -a python3 tests/e2e/measure.py --journal DIR [--app PATH] [--minimal PATH]
        [--runs N] [--only launch|search|memory]

* launch → interactive: from asking tauri-driver for a session (which starts
  the app) until the case list is on screen and its first case can be
  clicked, over several launches; an upper bound, since it includes starting
  WebKitWebDriver.
* search as you type: in the real window, the search dialog is typed into
  one character at a time (about five a second, as a person types); for
  each keystroke, the time from the key until results that reflect it (for
  that text or a later one) are painted. The page records it itself: the
  key's time, then the results list's `data-query`, then the frame after.
* idle memory: PSS summed over the app's process tree (the app, WebKit's web
  and network processes) after 8 s idle, next to a minimal Tauri window (a
  binary that only opens an empty page) measured the same way; and the app
  started hidden in the tray (`--hidden`, no webview).
"""

import argparse
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from isolation import isolated_env

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


# Environment variables for Casebook's runs (--app-env), never the minimal window's.
APP_ENV = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid):
    out = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if Path(f"/proc/{pid}/task/{pid}/children").exists() else []:
        out.extend(tree(int(child)))
    return out


def pss_kib(pids):
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def breakdown(pids, top=6):
    """Where a process tree's PSS goes: each process by name, and its
    largest mappings (heap, anonymous memory, fonts, libraries) by PSS."""
    lines = []
    for pid in sorted(pids):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            maps = {}
            current = None
            for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
                head = line.split()
                if head and "-" in head[0] and not head[0].endswith(":"):
                    current = line.split(None, 5)[5] if len(head) > 5 else "[anonymous]"
                    # Libraries and fonts by file name; anonymous memory together.
                    current = current.rsplit("/", 1)[-1]
                elif line.startswith("Pss:") and current is not None:
                    maps[current] = maps.get(current, 0) + int(head[1])
        except OSError:
            continue
        total = sum(maps.values())
        biggest = sorted(maps.items(), key=lambda kv: -kv[1])[:top]
        lines.append(f"  {name} (pid {pid}): {total/1024:.1f} MiB; " + ", ".join(f"{k} {v/1024:.1f}" for k, v in biggest))
    return "\n".join(lines)


def find_pids(name):
    out = subprocess.run(["pgrep", "-f", name], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def launch_times(app, journal, runs, root):
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    times = []
    for _ in range(runs):
        port = free_port()
        env = isolated_env(root, Path(journal))
        env.update(APP_ENV)
        proc = subprocess.Popen([driver_bin, "--port", str(port), "--native-port", str(free_port())], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": app})
        t0 = time.perf_counter()
        drv = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
        WebDriverWait(drv, 30, poll_frequency=0.01).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid^="open-case-"]')))
        times.append(time.perf_counter() - t0)
        drv.quit()
        proc.terminate()
        proc.wait()
    return times


# Installed in the page: the keystrokes' times, and when results for their
# text (or a later one) were painted.
PROBE = """
const input = document.querySelector('[data-testid="search-input"]');
window.__typed = []; window.__latency = [];
let last = 0;
input.addEventListener('keydown', () => { last = performance.now(); }, true);
input.addEventListener('input', () => {
  if (input.value.trim()) window.__typed.push({ value: input.value, t0: last });
});
const seen = () => {
  const el = document.querySelector('[data-query]');
  if (!el) return;
  const q = el.getAttribute('data-query');
  const i = window.__typed.findIndex((k) => k.value === q);
  if (i < 0) return;
  const answered = window.__typed.splice(0, i + 1);
  requestAnimationFrame(() => setTimeout(() => {
    const t = performance.now();
    for (const k of answered) window.__latency.push([t - k.t0, k.value]);
  }, 0));
};
new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query'] });
"""

QUERIES = ["退款", "refund", "TK-2024", "工单号", "verification code", "支付宝 冻结", "客服说", "PayPal dispute"]


def search_as_you_type(app, journal, root):
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    port = free_port()
    env = isolated_env(root, Path(journal))
    env.update(APP_ENV)
    proc = subprocess.Popen([driver_bin, "--port", str(port), "--native-port", str(free_port())], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": app})
    drv = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
    try:
        WebDriverWait(drv, 30).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="open-case-1"], [data-testid^="open-case-"]')))
        # The first-start offer to protect the journal, when it is shown.
        for later in drv.find_elements(By.CSS_SELECTOR, '[data-testid="protect-later"]'):
            later.click()
        WebDriverWait(drv, 30).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="open-search"]'))).click()
        box = WebDriverWait(drv, 10).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="search-input"]')))
        drv.execute_script(PROBE)
        latencies = []
        for q in QUERIES:
            for ch in q:
                box.send_keys(ch)
                time.sleep(0.2)
            WebDriverWait(drv, 10).until(lambda d: not d.execute_script("return window.__typed.length"))
            time.sleep(0.2)
            latencies += drv.execute_script("const l = window.__latency; window.__latency = []; return l;")
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.BACKSPACE)
            time.sleep(0.3)
        return latencies
    finally:
        drv.quit()
        proc.terminate()
        proc.wait()


def idle_pss(binary, journal, root, *args, extra_env=None):
    env = isolated_env(root, Path(journal))
    env.update(extra_env or {})
    if args:
        # Started hidden needs the tray chosen (as the login entry has it).
        conf = Path(env["XDG_CONFIG_HOME"]) / "app.casebook.desktop"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "desktop.json").write_text('{"tray": true, "start_at_login": true}')
    proc = subprocess.Popen([binary, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(8)
    pids = set(tree(proc.pid))
    # WebKit's helper processes are children of the app.
    kib = pss_kib(pids)
    print(breakdown(pids))
    proc.terminate()
    proc.wait()
    if args:
        (Path(env["XDG_CONFIG_HOME"]) / "app.casebook.desktop/desktop.json").unlink()
    return kib, len(pids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal", required=True)
    ap.add_argument("--app", default=str(Path(__file__).resolve().parents[2] / "target/release/casebook-app"))
    ap.add_argument("--minimal")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["launch", "search", "memory"], help="measure only this")
    ap.add_argument("--memory-runs", type=int, default=1, help="idle PSS: the median of this many starts")
    ap.add_argument("--app-env", action="append", default=[], metavar="VAR=VALUE",
                    help="an environment variable for Casebook's runs (to try a setting; never the minimal window's)")
    a = ap.parse_args()
    APP_ENV.update(kv.split("=", 1) for kv in a.app_env)
    # Every XDG folder in a temporary one: never the tester's own profile.
    with tempfile.TemporaryDirectory(prefix="casebook-measure-") as root:
        measure(a, Path(root))


def measure(a, root):
    if a.only in (None, "launch"):
        times = launch_times(a.app, a.journal, a.runs, root)
        print(f"launch → case list interactive: median {statistics.median(times)*1000:.0f} ms, max {max(times)*1000:.0f} ms over {len(times)} launches")
    if a.only in (None, "search"):
        typed = search_as_you_type(a.app, a.journal, root)
        lat = sorted(ms for ms, _ in typed)
        if typed:
            slowest = sorted(typed, key=lambda kv: -kv[0])[:5]
            print("slowest keystrokes: " + ", ".join(f"{v!r} {ms:.0f} ms" for ms, v in slowest))
            p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
            print(f"search as you type, keystroke → results painted: p50 {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms over {len(lat)} keystrokes")
    if a.only in (None, "memory"):
        runs = [idle_pss(a.app, a.journal, root, extra_env=APP_ENV) for _ in range(a.memory_runs)]
        kib, n = sorted(runs)[len(runs) // 2]
        print(f"idle PSS, Casebook: {kib/1024:.1f} MiB over {n} processes" + (f" (median of {len(runs)}: {', '.join(f'{k/1024:.1f}' for k, _ in runs)})" if len(runs) > 1 else ""))
        hk, hn = idle_pss(a.app, a.journal, root, "--hidden")
        print(f"idle PSS, Casebook started hidden in the tray: {hk/1024:.1f} MiB over {hn} processes")
        if a.minimal:
            mruns = [idle_pss(a.minimal, a.journal, root) for _ in range(a.memory_runs)]
            mk, mn = sorted(mruns)[len(mruns) // 2]
            print(f"idle PSS, minimal Tauri window: {mk/1024:.1f} MiB over {mn} processes; difference {(kib-mk)/1024:+.1f} MiB")

if __name__ == "__main__":
    main()

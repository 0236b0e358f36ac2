"""Benchmark of the release app (prints figures, asserts nothing).

    xvfb-run -a python3 tests/e2e/measure.py --journal DIR [--app PATH] [--minimal PATH]

* launch → interactive: from asking tauri-driver for a session (which starts
  the app) until the case list is on screen and its first case can be
  clicked, over several launches; an upper bound, since it includes starting
  WebKitWebDriver.
* idle memory: PSS summed over the app's process tree (the app, WebKit's web
  and network processes) after 5 s idle, next to a minimal Tauri window (a
  binary that only opens an empty page) measured the same way.
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
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


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


def find_pids(name):
    out = subprocess.run(["pgrep", "-f", name], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def launch_times(app, journal, runs, root):
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    times = []
    for _ in range(runs):
        port = free_port()
        env = isolated_env(root, Path(journal))
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


def idle_pss(binary, journal, root):
    env = isolated_env(root, Path(journal))
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(8)
    pids = set(tree(proc.pid))
    # WebKit's helper processes are children of the app.
    kib = pss_kib(pids)
    proc.terminate()
    proc.wait()
    return kib, len(pids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal", required=True)
    ap.add_argument("--app", default=str(Path(__file__).resolve().parents[2] / "target/release/casebook-app"))
    ap.add_argument("--minimal")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    # Every XDG folder in a temporary one: never the tester's own profile.
    with tempfile.TemporaryDirectory(prefix="casebook-measure-") as root:
        measure(a, Path(root))


def measure(a, root):
    times = launch_times(a.app, a.journal, a.runs, root)
    print(f"launch → case list interactive: median {statistics.median(times)*1000:.0f} ms, max {max(times)*1000:.0f} ms over {len(times)} launches")
    kib, n = idle_pss(a.app, a.journal, root)
    print(f"idle PSS, Casebook: {kib/1024:.1f} MiB over {n} processes")
    if a.minimal:
        mk, mn = idle_pss(a.minimal, a.journal, root)
        print(f"idle PSS, minimal Tauri window: {mk/1024:.1f} MiB over {mn} processes; difference {(kib-mk)/1024:+.1f} MiB")


if __name__ == "__main__":
    main()

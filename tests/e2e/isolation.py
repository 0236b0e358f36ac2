"""Keeps the app under test away from the tester's own profile.

The app and WebKit write outside the journal: the webview's local storage
(where the UI language and theme are kept), caches, GTK's recently-used
list, fontconfig and Mesa caches. Each goes under an XDG base directory, so
every end-to-end and measurement run points all of them at a temporary
folder. (Seen before this: `./dev test` changed the language of the tester's
own Casebook.)
"""

import os
import tempfile
from pathlib import Path

# The app's identifier (src-tauri/tauri.conf.json): its webview data lives in
# $XDG_DATA_HOME/<identifier>, its caches in $XDG_CACHE_HOME/<identifier>.
IDENTIFIER = "app.casebook.desktop"

XDG_DIRS = {
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
}


def isolated_env(root: Path, journal: Path, base=None) -> dict:
    """The environment for tauri-driver, the app or a helper program: the
    journal in `journal`, every XDG base directory under `root`, GTK settings
    in memory."""
    env = dict(os.environ if base is None else base, CASEBOOK_DATA_DIR=str(journal))
    # GTK settings (the file chooser's) go through dconf, which writes the
    # user's own ~/.config/dconf whatever XDG_CONFIG_HOME says.
    env["GSETTINGS_BACKEND"] = "memory"
    for var, sub in XDG_DIRS.items():
        d = root / "xdg" / sub
        d.mkdir(parents=True, exist_ok=True)
        env[var] = str(d)
    return env


def real_profile_dirs(environ=None) -> list:
    """Where the tester's own Casebook keeps what the app writes outside the
    journal, from the environment the tests were started in."""
    environ = os.environ if environ is None else environ
    home = Path(environ.get("HOME", str(Path.home())))
    defaults = {
        "XDG_DATA_HOME": home / ".local/share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local/state",
    }
    return [Path(environ.get(var) or defaults[var]) / IDENTIFIER for var in XDG_DIRS]


def snapshot(dirs) -> dict:
    """Every file under `dirs` with its size and modification time (an
    absent folder is recorded as absent)."""
    out = {}
    for d in dirs:
        if not d.exists():
            out[str(d)] = None
            continue
        for p in sorted(d.rglob("*")):
            try:
                st = p.stat()
            except OSError:
                continue
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def e2e_leftovers() -> set:
    """Files and folders named like the tests' own in the system's temporary
    folder (runs before issue 18 wrote them there and left them)."""
    return set(Path(tempfile.gettempdir()).glob("casebook-e2e-*-*"))

#!/usr/bin/env python3
"""Reads and clicks a tray icon's menu, as a desktop's tray does.

The icon is the last one registered with the test watcher (server.py's
LOG.tray lines). Its menu is read over com.canonical.dbusmenu, the protocol
libayatana-appindicator exports it with.

    tray.py TRAY_LOG labels          prints the menu's labels as JSON
    tray.py TRAY_LOG click LABEL     clicks the item with that label
"""

import json
import sys
import time

from gi.repository import Gio, GLib


def last_item(log: str):
    lines = [json.loads(line) for line in open(log, encoding="utf-8") if line.strip()]
    if not lines:
        sys.exit("no tray icon was registered")
    return lines[-1]["service"], lines[-1]["path"]


def menu_items(conn, service, menu_path):
    layout = conn.call_sync(service, menu_path, "com.canonical.dbusmenu", "GetLayout",
                            GLib.Variant("(iias)", (0, -1, [])), None, Gio.DBusCallFlags.NONE, 5000, None)
    _rev, (_id, _props, children) = layout.unpack()
    out = []
    for child in children:
        cid, props, _ = child
        label = props.get("label", "")
        out.append((cid, label.replace("_", "")))
    return out


def main() -> None:
    log, action = sys.argv[1], sys.argv[2]
    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    service, path = last_item(log)
    menu_path = conn.call_sync(service, path, "org.freedesktop.DBus.Properties", "Get",
                               GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", "Menu")),
                               None, Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
    items = menu_items(conn, service, menu_path)
    if action == "labels":
        print(json.dumps([label for _, label in items], ensure_ascii=False))
        return
    label = sys.argv[3]
    ids = [cid for cid, lab in items if lab == label]
    if not ids:
        sys.exit(f"no menu item {label!r} in {items!r}")
    # Sent as a tray sends it, without waiting for a reply ("Quit" may end
    # the app before it would answer).
    msg = Gio.DBusMessage.new_method_call(service, menu_path, "com.canonical.dbusmenu", "Event")
    msg.set_body(GLib.Variant("(isvu)", (ids[0], "clicked", GLib.Variant("i", 0), int(time.time()) & 0xFFFFFFFF)))
    msg.set_flags(Gio.DBusMessageFlags.NO_REPLY_EXPECTED)
    conn.send_message(msg, Gio.DBusSendMessageFlags.NONE)
    conn.flush_sync(None)


if __name__ == "__main__":
    main()

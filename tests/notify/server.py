#!/usr/bin/env python3
"""A desktop notification server for tests (org.freedesktop.Notifications).

Owns the name on the session bus in $DBUS_SESSION_BUS_ADDRESS, writes each
Notify call as one JSON line to LOG (id, app_name, summary, body, actions),
and "clicks" a notification when asked through the test-only method
test.casebook.Click.Click(id, action): it then emits ActionInvoked(id,
action), as a notification daemon does when the user clicks. Prints
"ready" on standard output once the name is owned.

It is also the desktop's tray (org.kde.StatusNotifierWatcher, which
libayatana-appindicator registers tray icons with): each registration is
one JSON line in LOG.tray ({"service": the app's bus name, "path": its
item's object path}), for the tests to find the icon and open its menu.

    server.py LOG
"""

import json
import sys

from gi.repository import Gio, GLib

PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
  <interface name="test.casebook.Click">
    <method name="Click"><arg type="u" direction="in"/><arg type="s" direction="in"/></method>
  </interface>
</node>
"""


WATCHER_PATH = "/StatusNotifierWatcher"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_XML = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>
"""


def watcher(tray_log: str) -> None:
    """Owns org.kde.StatusNotifierWatcher and logs each tray icon."""
    log = open(tray_log, "a", encoding="utf-8")
    node = Gio.DBusNodeInfo.new_for_xml(WATCHER_XML)
    items = []

    def call(conn, sender, path, iface, method, params, invocation):
        if method == "RegisterStatusNotifierItem":
            (arg,) = params.unpack()
            # An item gives its object path (its bus name is the sender) or
            # its bus name (then the path is the specification's default).
            service, item_path = (sender, arg) if arg.startswith("/") else (arg, "/StatusNotifierItem")
            items.append(f"{service}{item_path}")
            log.write(json.dumps({"service": service, "path": item_path}) + "\n")
            log.flush()
            conn.emit_signal(None, WATCHER_PATH, WATCHER, "StatusNotifierItemRegistered",
                             GLib.Variant("(s)", (f"{service}{item_path}",)))
        invocation.return_value(None)

    def get(conn, sender, path, iface, prop):
        if prop == "RegisteredStatusNotifierItems":
            return GLib.Variant("as", items)
        if prop == "IsStatusNotifierHostRegistered":
            return GLib.Variant("b", True)
        return GLib.Variant("i", 0)

    def bus(conn, name):
        conn.register_object(WATCHER_PATH, node.interfaces[0], call, get, None)

    Gio.bus_own_name(Gio.BusType.SESSION, WATCHER, Gio.BusNameOwnerFlags.NONE, bus, None, None)


def main() -> None:
    log = open(sys.argv[1], "a", encoding="utf-8")
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    state = {"next": 0}

    def call(conn, sender, path, iface, method, params, invocation):
        if method == "Notify":
            app, replaces, icon, summary, body, actions, _hints, timeout = params.unpack()
            state["next"] += 1
            nid = replaces or state["next"]
            log.write(json.dumps({"id": nid, "app_name": app, "icon": icon, "summary": summary,
                                  "body": body, "actions": actions}, ensure_ascii=False) + "\n")
            log.flush()
            invocation.return_value(GLib.Variant("(u)", (nid,)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body", "body-markup"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("casebook-test", "casebook", "1", "1.2")))
        elif method == "CloseNotification":
            (nid,) = params.unpack()
            conn.emit_signal(None, PATH, IFACE, "NotificationClosed", GLib.Variant("(uu)", (nid, 3)))
            invocation.return_value(None)
        elif method == "Click":
            nid, action = params.unpack()
            conn.emit_signal(None, PATH, IFACE, "ActionInvoked", GLib.Variant("(us)", (nid, action)))
            invocation.return_value(None)

    def acquired(conn, name):
        print("ready", flush=True)

    def bus(conn, name):
        for iface in node.interfaces:
            conn.register_object(PATH, iface, call, None, None)

    def lost(conn, name):
        print("lost the name", file=sys.stderr, flush=True)
        sys.exit(1)

    watcher(sys.argv[1] + ".tray")
    Gio.bus_own_name(Gio.BusType.SESSION, IFACE, Gio.BusNameOwnerFlags.NONE, bus, acquired, lost)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()

"""A tiny GTK window that offers files for drag and drop, as a file manager
does (text/uri-list). The end-to-end test drags from it onto Casebook with
xdotool, so the drop goes through the real X11 drag-and-drop protocol.

Usage: python3 drag_source.py FILE...   (system Python with python3-gi)
"""

import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

uris = [GLib.filename_to_uri(p, None) for p in sys.argv[1:]]

win = Gtk.Window(title="casebook-drag-source")
win.set_default_size(200, 120)
win.move(1060, 40)
button = Gtk.Button(label="drag me")
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
button.drag_source_add_uri_targets()


def on_get(_widget, _ctx, data, _info, _time):
    data.set_uris(uris)


button.connect("drag-data-get", on_get)
win.add(button)
win.connect("destroy", Gtk.main_quit)
win.show_all()
Gtk.main()

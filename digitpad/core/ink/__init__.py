"""Ink: what the user drew, as data.

The drawing format, the canvas's content, page and undo history, the eraser, gestures,
pen paths and their rendering. Imports only the root basics: ink knows nothing of
images, networks or Qt.
"""

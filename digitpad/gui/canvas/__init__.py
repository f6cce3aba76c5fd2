"""The drawing surface: strokes, eraser, undo, painting, opening and saving drawings."""

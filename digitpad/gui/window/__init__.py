"""The main window: composes features; menus, actions, tool bar, model loading."""

"""The network designer: build a CNN layer by layer and see its shapes, cost and Keras
code live (issue 21). Opened by the window (View menu, ``AppState.designRequested``);
meets the Training panel only through ``AppState``."""

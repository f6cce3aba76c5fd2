"""DigitPad: draw a digit, watch a convolutional network read it."""

__version__ = "0.1.0"

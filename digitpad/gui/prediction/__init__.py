"""The answer: live prediction off the GUI thread, probability bars, network input."""

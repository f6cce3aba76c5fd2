"""Helpers the tests share: test digits, activation-viewer set-up, saliency checks."""

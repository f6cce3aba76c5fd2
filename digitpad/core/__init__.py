"""Qt-free core of DigitPad: preprocessing, data, models, training, inference.

Nothing in this package may import Qt or ``digitpad.gui`` (an import-linter contract
checks it), and TensorFlow is imported lazily so that inference on LiteRT stays light.
"""

"""Numbers: ink split into digits and read as a whole number.

Ink components, grouping them into digits, and reading each digit with a predictor.
Imports ink, preprocess and models.
"""

"""Handwriting: the user's own digits and fine-tuning on them.

The sample store, labelled drawing lists, the teach plan, stroke-space augmentation and
fine-tuning (the fit and the helper's job). Imports ink, preprocess, models, training.
"""

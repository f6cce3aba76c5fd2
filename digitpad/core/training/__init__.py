"""Training: data, augmentation, the fit loop, evaluation and progress.

MNIST loading, augmentation and synthetic styles, ``train(config, reporter,
should_stop)``, evaluation, throttled progress and the training job the helper runs.
Imports preprocess, networks, models and the root basics.
"""

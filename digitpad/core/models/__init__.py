"""Models: files, checks, predictors and what is derived from a trained network.

Safe loading and atomic saving of .keras files with their sidecars, metadata, LiteRT
export checks, predictors (LiteRT or tf.function), the model library, saliency maps
and one unit's computation re-derived in numpy (``unit_explain``, from the
``NAME.weights.npz`` sidecar of ``unit_weights``).
Imports networks and the root basics.
"""

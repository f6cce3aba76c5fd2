"""Models: files, checks, predictors and what is derived from a trained network.

Safe loading and atomic saving of .keras files with their sidecars, metadata, LiteRT
export checks, predictors (LiteRT or tf.function), the model library and saliency maps.
Imports networks and the root basics.
"""

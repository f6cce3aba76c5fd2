"""Preprocessing: strokes or an image -> the 28x28 float32 input a network reads.

MNIST's own recipe (crop, 20 px box, centre of mass), every stage kept for inspection,
placing an opened image on the page, and the classic hand-made filters. Imports ink and
the root basics, never model code.
"""

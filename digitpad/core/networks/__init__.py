"""Networks: architectures as data, and what each layer kind does.

Imports only the root basics: a network description needs no model file, no data and no
TensorFlow until it is built.
"""

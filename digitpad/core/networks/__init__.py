"""Networks as data: specs, their shapes without TensorFlow, the one builder, presets.

- ``spec``: ``LayerSpec``, ``NetworkSpec``, ``parse_spec``, ``SpecError`` (the format)
- ``schema``: the allow-list of layer types, arguments, ranges and activations
- ``shapes``: ``analyze(spec)`` -> every layer's output shape, parameters, multiply-adds
  and problems, exactly as Keras would build it, in plain Python
- ``builder``: ``build_keras_model(spec)``, the one way a spec becomes a Keras model
- ``keras_code``: the Python script that builds the same network with Keras
- ``presets``, ``designs``, ``recorded``: the ready-made specs, the user's saved ones,
  the one a model records; ``editing``: the designer's edits as pure functions
- ``summary``: the ``arch show`` table; ``layer_explanations``: what each kind does

Imports only the root basics: a network description needs no model file, no data and no
TensorFlow until it is built.
"""

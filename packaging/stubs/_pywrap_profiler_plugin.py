"""Stand-in for TensorFlow's remote-profiler client in the full bundle.

The native module is 77 MB stripped and only ``tf.profiler.experimental.client.trace``
and ``monitor`` call it (to profile a TensorFlow server); TensorFlow imports it with
everything else, so the bundle carries this instead. DigitPad never profiles.
"""


def _left_out(*_args, **_kwargs):
    raise NotImplementedError("the TensorFlow profiler client is not in this bundle")


trace = monitor = _left_out

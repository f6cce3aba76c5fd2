"""The layer-activation viewer: layer cards, feature maps, filters, saliency, and
"How this value is computed" for one unit (``unit_dialog``)."""

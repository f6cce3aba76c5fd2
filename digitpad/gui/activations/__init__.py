"""The layer-activation viewer: layer cards, feature maps, filters, saliency."""

"""Small widgets and Qt conversions that more than one feature uses."""

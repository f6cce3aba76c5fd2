"""*My handwriting*: the browser of the user's own labelled digits."""

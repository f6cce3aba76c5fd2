"""Helpers: TensorFlow off the app's process.

The helper process that trains, fine-tunes, converts and explains (saliency), how it is
started and how its thread yields. The top of the core: nothing else in the core imports
it except the jobs' parent ends.
"""

"""The training panel: form, worker, progress, curves, results and the model library."""

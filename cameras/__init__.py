"""Camera health: stream probing, status and the health endpoint."""

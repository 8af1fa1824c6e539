"""The HTTP views of this app, one module per resource."""

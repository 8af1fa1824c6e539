"""OGC API Features views, one module per resource."""

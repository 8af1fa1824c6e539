"""What is published: the layer registry and the OGC API Features views derived from it."""

"""Vector and raster tiles, TileJSON, OGC API Tiles, map styles and the tile cache (no models)."""

"""URLs of the tiles app."""
urlpatterns: list = []

"""URLs of the layers app."""
urlpatterns: list = []

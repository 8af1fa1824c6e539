"""URLs of the scenarios app."""
urlpatterns: list = []

"""URLs of the cameras app."""
urlpatterns: list = []

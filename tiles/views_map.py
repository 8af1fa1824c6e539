"""The operations map page at /."""
from django.http import HttpResponse


def operations_map(request):
    return HttpResponse("map")

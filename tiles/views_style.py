"""GET /styles/operations.json."""
from django.http import JsonResponse


def operations_style(request):
    return JsonResponse({})

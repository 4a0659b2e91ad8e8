"""Pieces of the OpenAPI description shared by several endpoints."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .exceptions import PROBLEM_CONTENT_TYPE


class ProbleemSerializer(serializers.Serializer):
    """Een fout als `application/problem+json` (RFC 9457), zoals de API die geeft."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()


def problem_response(status: int, description: str) -> dict:
    """`responses` entry for extend_schema: `status` answered in problem+json."""
    return {(status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProbleemSerializer, description)}

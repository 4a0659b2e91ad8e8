"""A request body names only attributes its resource has (one rule for every writable resource)."""

from collections.abc import Mapping

from rest_framework import serializers

MAX_REPORTED = 20
UNKNOWN = (
    "Onbekend attribuut: dit gegeven heeft geen attribuut met deze naam. Controleer de spelling; "
    "/api/v1/openapi.json noemt alle attributen."
)


class KnownAttributes:
    # An attribute the resource does not have is refused (400, naming it), not dropped: a misspelt
    # answer (`oplossing`) stored a survey response without its answers. Read-only attributes may be
    # sent back as they were read (a PUT of what a GET answered); they are ignored, as before.
    # (Comments, not a docstring: drf-spectacular shows a serializer's first docstring as its
    # description in the Dutch API documentation.)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = [str(name)[:100] for name in data if name not in self.fields]
            if unknown:
                raise serializers.ValidationError(
                    {name: [UNKNOWN] for name in sorted(unknown)[:MAX_REPORTED]}
                )
        return super().to_internal_value(data)

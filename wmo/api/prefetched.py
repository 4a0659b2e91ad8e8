"""Relations an API list reads as plain lists: `Prefetched(relation)` in the selector leaves each
record's related objects on it as a list (Django's `to_attr`), and the fields below read that
list when it is there, or the relation itself when it is not (a record just written, a page
without the selector).

Django's ordinary prefetch makes a related manager and a queryset per record and relation, and
the serializer another on reading: the contract list (101 contracts, five relations) spent more
on that bookkeeping than on its queries."""

from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from wmo.api.references import CodeRelatedField

_NOT_PREFETCHED = object()
SUFFIX = "_prefetched"


def prefetched_name(relation: str) -> str:
    return f"{relation}{SUFFIX}"


def Prefetched(relation: str, queryset=None) -> Prefetch:  # noqa: N802 (reads as Prefetch)
    return Prefetch(relation, queryset=queryset, to_attr=prefetched_name(relation))


class ReadsPrefetched:
    """For a field whose `source` is a relation: the prefetched list, else the relation."""

    def get_attribute(self, instance):
        value = getattr(instance, prefetched_name(self.source), _NOT_PREFETCHED)
        return super().get_attribute(instance) if value is _NOT_PREFETCHED else value


class PrefetchedManyRelatedField(ReadsPrefetched, serializers.ManyRelatedField):
    pass


class PrefetchedListSerializer(ReadsPrefetched, serializers.ListSerializer):
    """A nested serializer's `Meta.list_serializer_class` (`many=True`)."""


class PrefetchedSlugRelatedField(CodeRelatedField):
    """CodeRelatedField whose `many=True` reads a prefetched list."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return PrefetchedManyRelatedField(**list_kwargs)


class ForgetsPrefetchedOnUpdate:
    """For a viewset whose queryset uses `Prefetched`: after an update the record answers with
    the relations it now has, not the lists read before the write (DRF's update() clears only
    Django's own prefetch cache)."""

    def perform_update(self, serializer):
        super().perform_update(serializer)
        record = serializer.instance
        for name in [name for name in vars(record) if name.endswith(SUFFIX)]:
            delattr(record, name)

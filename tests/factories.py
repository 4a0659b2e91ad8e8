"""factory-boy factories shared by the whole suite; per-app factories live beside their tests."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from districts.models import Buurtteam, TeamMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("Geheim-wachtwoord-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def make_user(role: str | None, username: str | None = None, team_code: str = "BT05"):
    user = UserFactory(role=role, **({"username": username} if username else {}))
    if role == "buurtteam_worker":
        TeamMembership.objects.update_or_create(
            user=user, defaults={"buurtteam": Buurtteam.objects.get(code=team_code)}
        )
    return user

from django.db import models


class DemoSeed(models.Model):
    """The demo data was loaded: seed_demo then leaves the database alone, so a restart keeps
    every change users made. `periods` are the demo's indicator periods in the order they are
    computed (newest first); the dashboard's banner counts how many are done."""

    seeded_at = models.DateTimeField("geladen op", auto_now_add=True)
    seed = models.IntegerField("startwaarde")
    referrals = models.PositiveIntegerField("verwijzingen")
    periods = models.JSONField("indicatorperioden", default=list, blank=True)

    class Meta:
        verbose_name = "demogegevens"
        verbose_name_plural = "demogegevens"
        ordering = ["-seeded_at"]

    def __str__(self):
        return f"Demogegevens van {self.seeded_at:%Y-%m-%d %H:%M} (startwaarde {self.seed})"

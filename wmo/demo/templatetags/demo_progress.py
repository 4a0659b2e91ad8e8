from django import template

from wmo.demo.indicators import progress

register = template.Library()


@register.inclusion_tag("demo/progress.html")
def demo_progress():
    """The banner while the demo's older periods are still being computed (nothing after)."""
    return {"progress": progress()}

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "select": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.simple_tag
def render_input(field, autocomplete=None):
    """Render a form field's widget with Utrecht classes and the ARIA links to hint and error."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", widget.__class__.__name__.lower())
    css = WIDGET_CLASSES.get(input_type, "utrecht-textbox utrecht-textbox--html-input")
    attrs = {"class": css + (" utrecht-textbox--invalid" if field.errors else "")}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-fout")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return field.as_widget(attrs=attrs)


@register.simple_tag
def error_target(field):
    """The id an error summary links to for a field: its input's (the label's `for`), or for a
    group of radio buttons or checkboxes, which has no one label target, its first option's."""
    return field.id_for_label or f"{field.auto_id}_0"

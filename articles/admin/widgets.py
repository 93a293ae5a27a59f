"""Pickers on the story form: tags, and places, sections, agencies and authors."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

NEW_TAG = "new:"


class PreloadedMixin:
    """
    For the admin's autocompletes: the chosen options are labelled from
    objects the form already holds (loaded with the story or byline) instead
    of each widget asking the database for them, so a form with more bylines
    or tags runs no more queries. Any other value is looked up as usual.
    """

    preloaded = ()  # the chosen objects; set on each form's own copy by preload()

    def optgroups(self, name, value, attr=None):
        by_pk = {str(obj.pk): obj for obj in self.preloaded}
        chosen = [str(v) for v in value if v not in self.choices.field.empty_values]
        if not set(chosen) <= by_pk.keys():
            return super().optgroups(name, value, attr)
        groups = super().optgroups(name, [], attr)  # the blank option, if any; no query
        options = groups[0][1]
        for pk in chosen:
            label = self.choices.field.label_from_instance(by_pk[pk])
            options.append(self.create_option(name, pk, label, True, len(options)))
        return groups


class PreloadedAutocomplete(PreloadedMixin, AutocompleteSelect):
    pass


def preload(form, name, objects):
    """Let the autocomplete of ``form``'s field ``name`` label ``objects`` without a query."""
    if name not in form.fields:
        return  # shown read-only to this user
    widget = form.fields[name].widget
    widget = getattr(widget, "widget", widget)  # inside the admin's add and change links
    if isinstance(widget, PreloadedMixin):
        widget.preloaded = [obj for obj in objects if obj is not None]


def preload_related(form, *names):
    """preload() each foreign key in ``names`` that the form's instance already holds."""
    for name in names:
        field = form.instance._meta.get_field(name)
        if field.is_cached(form.instance):
            preload(form, name, [field.get_cached_value(form.instance)])


class TagAutocomplete(PreloadedMixin, AutocompleteSelectMultiple):
    """The admin's autocomplete, allowed to add tags that do not exist yet."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Our own script starts this select, with tag creation switched on.
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "tag-autocomplete")
        attrs["data-width"] = "40em"
        return attrs

    def optgroups(self, name, value, attr=None):
        # Read as TagChoiceField reads them: digits are existing tags' ids,
        # anything else ("new:Zapad-2017", or typed plain) a name.
        known = [v for v in value if str(v).isdigit()]
        groups = super().optgroups(name, known, attr)
        options = groups[0][1]
        for new in (str(v) for v in value if v and not str(v).isdigit()):
            label = new.removeprefix(NEW_TAG)
            options.append(self.create_option(name, new, label, True, len(options)))
        return groups

    @property
    def media(self):
        # Listing jQuery and select2 again orders our script after them.
        ours = forms.Media(
            js=[
                "admin/js/vendor/jquery/jquery.js",
                "admin/js/vendor/select2/select2.full.js",
                "admin/js/jquery.init.js",
                "articles/tag_autocomplete.js",
            ]
        )
        return super().media + ours


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Existing tags by id, new ones by name ("new:Zapad-2017", or plain text)."""

    def clean(self, value):
        ids, names = [], []
        for item in value or []:
            item = str(item).strip()
            if item.isdigit():
                ids.append(item)
            else:
                names += [n.strip() for n in item.removeprefix(NEW_TAG).split(",") if n.strip()]
        tags = list(super().clean(ids)) if ids else []
        return tags + names


class PreloadedAutocompleteAdmin:
    """For a ModelAdmin or inline: its autocomplete_fields label from preloaded objects."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            using = kwargs.get("using")
            kwargs["widget"] = PreloadedAutocomplete(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

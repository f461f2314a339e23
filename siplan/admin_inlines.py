"""Tabular inlines whose inputs a screen reader can name. Django's tabular inline puts each input under a column
heading, with no <label> of its own; every tabular inline of siplan derives from LabelledTabularInline, which names
each input after its column (aria-label), the Delete box included."""

from django.contrib import admin


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    if field.label:
                        field.widget.attrs.setdefault("aria-label", field.label)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet

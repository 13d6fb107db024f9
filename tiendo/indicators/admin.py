from django.contrib import admin

from tiendo.indicators.models import DataElement, Disaggregation, DisaggregationPart, Indicator


class PartInline(admin.TabularInline):
    model = DisaggregationPart
    extra = 0


@admin.register(Disaggregation)
class DisaggregationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en"]
    inlines = [PartInline]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "unit_vi", "value_type", "time_aggregation",
                    "unit_aggregation", "disaggregation", "sector"]
    list_filter = ["sector", "value_type", "time_aggregation"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "formula", "direction", "decimals", "sector"]
    list_filter = ["sector", "direction"]
    search_fields = ["code", "name_vi", "name_en"]
    filter_horizontal = ["elements"]

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "wurao.planning"
    verbose_name = "检查计划与联合检查"

    def ready(self):
        # The admin's 节假日 table is planning's, the calendar a layer below it (credit counts
        # review deadlines with it too): plug the table into the calendar every caller asks.
        from wurao.planning.selectors import holidays_entered
        from wurao.registry.workdays import entered_days_source_set

        entered_days_source_set(holidays_entered)

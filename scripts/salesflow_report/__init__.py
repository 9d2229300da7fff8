"""salesflow_report: charts, an offline HTML report and a presentation from a salesflow
results file. See docs/report.md.

Modules: reading (the file and its metric metadata), stats, units, labels, charts.*
(one module per kind of chart: the numbers behind it and its drawing), page (HTML),
sections (what the report says), build (the folder, written atomically), cli, walk
(every table and attribute of a file, for the exports).
"""
from .charts.comparison import comparison_data, decision_data, lead_time_pair_data  # noqa: F401
from .charts.flow import cfd_curves, cfd_data, series_frame, wip_throughput_data  # noqa: F401
from .charts.funnel import funnel_data  # noqa: F401
from .charts.kingman import kingman_data  # noqa: F401
from .charts.leadtime import leadtime_data, measured_exits  # noqa: F401
from .charts.sweep import (best_points_data, difference_findings, partial_dependence_data,  # noqa: F401
                           sweep_band_by_scenario, sweep_band_data, sweep_differences_data, sweep_heatmap_data,
                           sweep_scenarios)
from .charts.utilisation import utilisation_data  # noqa: F401
from .charts.valuestream import stage_funnel_data, value_stream_data  # noqa: F401
from .errors import InputError  # noqa: F401
from .reading import (comparison_names, decode_frame, open_results, run_attrs, run_metrics,  # noqa: F401
                      run_names, sweep_metrics, sweep_names, sweep_paths)
from .sections import summary_data  # noqa: F401
from .stats import mean_interval, probability_best, t_cdf, t_quantile  # noqa: F401

"""One module per kind of chart. Each has `*_data` functions that return the numbers
behind the chart (pandas DataFrames or dicts, tested against independent computations)
and `plot_*` functions that only draw them on a `style.Canvas`."""

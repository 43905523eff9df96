"""Quality indicators per session and per certification (issue 5, point 5).

`figures` is the pure part: plain records in, rows out, every figure tested on hand-made
records. `queries` reads those records in a fixed number of queries whatever the number of
sessions. `filters` reads the page's filters, `export` writes the figures in French and as
CSV, `charts` draws them (SVG) and `views` serves the page and the CSV.
"""

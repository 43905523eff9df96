"""The exam's parts (seed 001 5-2-1 to 5-2-3; seed 000's two parts for RS6240), declared in
the referential with their minutes: the president moves the jury through them on the grid
page (each start recorded with its time), and the jury marks, per competency, whether the
project covered it and whether it was evaluated in interview (issue 14, item 6)."""

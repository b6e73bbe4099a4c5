"""`python -m sandbox.demo` (`make demo`): a narrated end-to-end scenario against a freshly started sandbox.

Steps live in `steps_*.py` modules, each exposing `ORDER` (int, run order) and `STEPS` (a list of `Step`); a feature
adds its own module and the runner discovers it.
"""

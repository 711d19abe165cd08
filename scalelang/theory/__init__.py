"""The theory: from a checked ``Problem`` to the exact answer (docs/method.md).

``scales`` builds the log-space the answer lives in; ``kernels`` tracks each feature through the
layers; ``lower`` turns every pattern assignment into candidate energies; ``solve`` minimizes
them with the exponent engine and compares them into phases. It never imports the front end.
"""

"""Random draws (双随机、一公开): verifiable draws of enterprises and inspector teams, to the
published spec wurao-draw-v1.

The pure draw lives in `engine` (candidates, digests, seed, keys, selection), `allocation`
(quotas from a total and weights), `teams` (inspector teams) and `bundle` (the published
bundle, its verifier and `python -m wurao.sampling.engine verify BUNDLE.json`). Nothing is
imported here, so loading the Django app does not load NumPy.
"""

"""The policy simulator: replays a year of the visit registry under a rule set (docs/simulator.md).
rules.py and engine.py are pure; loader.py reads the registry, service.py runs both."""

"""REST API (FastAPI): the CLI's answers over HTTP, with OpenAPI docs at ``/docs``.

Start it with ``corridor serve``; ``/`` is a web page over the same API. One module per part:

* :mod:`~corridor.interfaces.api.server` — the application, the web page and the error answers;
* :mod:`~corridor.interfaces.api.routes` — places, routes, corridor comparisons, reliability, the network;
* :mod:`~corridor.interfaces.api.planning` — trade forecasts and simulations of shipped scenarios;
* :mod:`~corridor.interfaces.api.background` — the same long computations as background jobs;
* :mod:`~corridor.interfaces.api.scenarios` — the scenario store (writes need a bearer token);
* :mod:`~corridor.interfaces.api.common` — request limits, parameter types, JSON answers.

Request sizes are bounded (samples, horizon, years, scenario text, name lengths) so one call
cannot take the server down. Long computations can run as background jobs (``/jobs/...``, see
:mod:`corridor.interfaces.jobs`): 202 with a job id, then poll ``/jobs/{id}`` for progress.
"""

from corridor.interfaces.api.server import WEB_DIR, app

__all__ = ["WEB_DIR", "app"]

"""Wiring mistakes made from Python, for the test that proves they fail with
the message TypeScript gives (__tests__/python/python-app.test.ts).

    python mistakes.py CASE OUTDIR

Prints {"error": "<name>: <message>"} (null when synth passed) and the problems
Synthesizer.validate returns, as data, as JSON.
"""
import json
import sys
from typing import Callable, Dict

import cdk8s_plus_28 as kplus
from cdk8s import ApiObjectMetadata, App, Chart

from cdk8s_voting_app import ContainerPort, Credentials, Microservice, Synthesizer, VotingApp


def service_selecting_no_pod(app: App) -> None:
    """A cdk8s-plus Service whose selector has a typo: it matches no pod of the namespace."""
    chart = Chart(app, "shop", namespace="shop")
    Microservice(chart, "Backend", name="backend", image="hashicorp/http-echo:1.0", ports=[ContainerPort.tcp("http", 5678)])
    svc = kplus.Service(chart, "Orders", metadata=ApiObjectMetadata(name="orders"), ports=[kplus.ServicePort(port=80, target_port=5678)])
    svc.select_label("app.kubernetes.io/name", "backnd")


def secret_key_missing(app: App) -> None:
    """Credentials read from a Secret that has no `username` key (it calls it `user`)."""
    chart = Chart(app, "shop", namespace="shop")
    secret = kplus.Secret(chart, "DbCredentials", metadata=ApiObjectMetadata(name="db-credentials"),
                          string_data={"user": "postgres", "password": "postgres"})
    VotingApp(chart, "App", credentials=Credentials.from_secret(secret))


CASES: Dict[str, Callable[[App], None]] = {
    "service-selecting-no-pod": service_selecting_no_pod,
    "secret-key-missing": secret_key_missing,
}

if __name__ == "__main__":
    case, outdir = sys.argv[1], sys.argv[2]
    app = App()
    CASES[case](app)
    # Each problem is a struct: its fields, not a string to parse.
    problems = [{"path": p.path, "code": p.code, "problem": p.problem, "fix": p.fix, "severity": p.severity.name.lower()}
                for p in Synthesizer.validate(app)]
    try:
        Synthesizer.synthesize(app, outdir=outdir)
        error = None
    except RuntimeError as e:
        # jsii raises a JavaScript error as RuntimeError("<name>: <message>").
        error = str(e)
    print(json.dumps({"error": error, "problems": problems}))

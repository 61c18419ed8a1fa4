"""Two of the seed examples of examples/*.ts, written in Python."""
from typing import Callable, List

from cdk8s import Chart, Duration, Size
from cdk8s_plus_28 import ContainerResources, Cpu, CpuResources, MemoryResources, ServiceType
from constructs import Construct

from cdk8s_voting_app import (
    AppNamespace, ContainerPort, DisruptionBudget, HealthCheck, HealthCheckOptions, IngressPolicy,
    Microservice, MicroserviceServiceOptions, ServicePortMapping, ShutdownOptions, Volume, VolumeMount, WorkloadSecurityOptions,
)

ECHO_IMAGE = "hashicorp/http-echo:1.0"
CURL_IMAGE = "curlimages/curl:8.10.1"
SMALL = ContainerResources(
    cpu=CpuResources(request=Cpu.millis(10)),
    memory=MemoryResources(request=Size.mebibytes(16), limit=Size.mebibytes(32)),
)
# The binaries need no user of their own: run them as "nobody".
NOBODY = WorkloadSecurityOptions(user=65534, group=65534)


class WebappExample(Chart):
    """An nginx `webapp` with 3 replicas behind the NodePort Service `my-web-service` on node port 30080."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        ns = AppNamespace(self, "Namespace", name="example-webapp")
        http = ContainerPort.tcp("http", 80)
        webapp = Microservice(
            self, "Webapp",
            name="webapp",
            namespace=ns.name,
            image="nginx:1.27-alpine",
            replicas=3,
            spread_across_nodes=True,
            ports=[http],
            service=MicroserviceServiceOptions(
                name="my-web-service", type=ServiceType.NODE_PORT,
                ports=[ServicePortMapping(port=80, target=http, node_port=30080)],
            ),
            resources=ContainerResources(
                cpu=CpuResources(request=Cpu.millis(50)),
                memory=MemoryResources(request=Size.mebibytes(32), limit=Size.mebibytes(64)),
            ),
            readiness=HealthCheck.http_get("/", http),
            liveness=HealthCheck.http_get("/", http, failure_threshold=6),
            # Stock nginx runs as any non-root user when the places it writes are volumes.
            security=WorkloadSecurityOptions(user=10101, group=10101, unprivileged_port_start=80),
            volumes=[
                VolumeMount(path="/var/cache/nginx", volume=Volume.empty_dir("cache", size_limit=Size.mebibytes(128))),
                VolumeMount(path="/var/run", volume=Volume.empty_dir("run", size_limit=Size.mebibytes(16))),
                VolumeMount(path="/tmp", volume=Volume.empty_dir("tmp", size_limit=Size.mebibytes(64))),
            ],
        )
        IngressPolicy(self, "WebappIngress", target=webapp, from_anywhere=True)
        DisruptionBudget(self, "WebappBudget", target=webapp)


def echo_server(scope: Construct, id: str, *, name: str, namespace: str, text: str,
                service: Callable[[ContainerPort], MicroserviceServiceOptions]) -> Microservice:
    """A tiny HTTP server answering `text` on port 5678."""
    http = ContainerPort.tcp("http", 5678)
    return Microservice(
        scope, id,
        name=name,
        namespace=namespace,
        image=ECHO_IMAGE,
        args=["-listen=:5678", f"-text={text}"],
        ports=[http],
        service=service(http),
        resources=SMALL,
        readiness=HealthCheck.http_get("/", http),
        liveness=HealthCheck.http_get("/", http, failure_threshold=6),
        security=NOBODY,
        # Built FROM scratch: no sleep for a drain pause, so it stops as soon as it is told to.
        shutdown=ShutdownOptions(image_has_sleep=False),
    )


def http_client(scope: Construct, id: str, *, name: str, namespace: str, servers: List[Microservice]) -> Microservice:
    """A client that calls each server by its Service name and first port; ready while all of them answer."""
    def url(s: Microservice) -> str:
        port = s.service_ports[0].port
        return f"http://{s.service_name}{'' if port == 80 else f':{port}'}/"
    urls = " ".join(url(s) for s in servers)
    client = Microservice(
        scope, id,
        name=name,
        namespace=namespace,
        image=CURL_IMAGE,
        command=["sh", "-c", f'while true; do for u in {urls}; do curl -fsS --max-time 2 "$u" || echo "call to $u failed"; done; sleep 5; done'],
        resources=SMALL,
        readiness=HealthCheck.command(
            ["sh", "-c", f'for u in {urls}; do curl -fsS --max-time 2 -o /dev/null "$u" || exit 1; done'],
            period=Duration.seconds(10), timeout=Duration.seconds(5),
        ),
        security=NOBODY,
    )
    for s in servers:
        client.connect_to(s)
    return client


class BackendExample(Chart):
    """An echo `backend` behind the ClusterIP Service `backend-svc` (9090 -> 5678), and a client calling it by name."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        ns = AppNamespace(self, "Namespace", name="example-backend")
        backend = echo_server(
            self, "Backend", name="backend", namespace=ns.name, text="hello from backend",
            service=lambda http: MicroserviceServiceOptions(name="backend-svc", ports=[ServicePortMapping(port=9090, target=http)]),
        )
        client = http_client(self, "Client", name="client", namespace=ns.name, servers=[backend])
        IngressPolicy(self, "BackendIngress", target=backend)
        IngressPolicy(self, "ClientIngress", target=client)

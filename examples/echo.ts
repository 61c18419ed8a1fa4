import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ContainerPort, HealthCheck, Microservice, MicroserviceServiceOptions } from '../lib';

const ECHO_IMAGE = 'hashicorp/http-echo:1.0';
const CURL_IMAGE = 'curlimages/curl:8.10.1';
const SMALL = { cpu: { request: Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } };

/** Props of an HTTP echo server. */
export interface EchoServerProps {
  readonly name: string;
  readonly namespace: string;
  /** What it answers. */
  readonly text: string;
  /** Its Service, given the container port it listens on (5678). */
  readonly service: (port: ContainerPort) => MicroserviceServiceOptions;
}

/** A tiny HTTP server answering `text` on port 5678: the stand-in backend of the examples. */
export function echoServer(scope: Construct, id: string, props: EchoServerProps): Microservice {
  const http = ContainerPort.tcp('http', 5678);
  return new Microservice(scope, id, {
    name: props.name,
    namespace: props.namespace,
    image: ECHO_IMAGE,
    args: ['-listen=:5678', `-text=${props.text}`],
    ports: [http],
    service: props.service(http),
    resources: SMALL,
    readiness: HealthCheck.httpGet('/', http),
    liveness: HealthCheck.httpGet('/', http, { failureThreshold: 6 }),
    // The binary needs no user of its own: run it as "nobody".
    security: { user: 65534, group: 65534 },
    // Built FROM scratch: no sleep for a drain pause, so it stops as soon as it is told to.
    shutdown: { imageHasSleep: false },
  });
}

/** A client that calls each server, by its Service name and first port, every few seconds; ready while all of them answer. */
export function httpClient(scope: Construct, id: string, props: { name: string; namespace: string; servers: Microservice[] }): Microservice {
  const urls = props.servers.map(s => `http://${s.serviceName}${s.servicePorts[0].port === 80 ? '' : `:${s.servicePorts[0].port}`}/`).join(' ');
  const client = new Microservice(scope, id, {
    name: props.name,
    namespace: props.namespace,
    image: CURL_IMAGE,
    command: ['sh', '-c', `while true; do for u in ${urls}; do curl -fsS --max-time 2 "$u" || echo "call to $u failed"; done; sleep 5; done`],
    resources: SMALL,
    readiness: HealthCheck.command(['sh', '-c', `for u in ${urls}; do curl -fsS --max-time 2 -o /dev/null "$u" || exit 1; done`], { period: Duration.seconds(10), timeout: Duration.seconds(5) }),
    // curl needs no user of its own: run it as "nobody".
    security: { user: 65534, group: 65534 },
  });
  props.servers.forEach(s => client.connectTo(s));
  return client;
}

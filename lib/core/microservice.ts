import { ApiObject, Lazy, Size } from 'cdk8s';
import { KubeDeployment, KubeService } from './kube-objects';
import { ContainerResources, Cpu, EnvValue, ImagePullPolicy, ServiceType } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Connection, ConnectionOptions } from './connection';
import { derivesIngressPolicy } from './ingress-policy';
import { ContainerPort, includesPort } from './container-port';
import { INT32_MAX, integerFinding, mebibytesOf, nameFinding, portFinding, repeated } from './checks';
import { Problems } from './problems';
import { isEnvVarName } from './rules/names';
import { literalCredentialIn, literalCredentialsInCommandLine, namesCredential } from './rules/credentials';
import { capabilityVerdict, isLinuxId, LINUX_ID_MAX, isUnprivilegedPortStart, LOCAL_PORT_RANGE_START, probeCanReach, UNPRIVILEGED_PORT_START_SYSCTL } from './rules/security';
import { Finding, finding, ProblemReport, ProblemSeverity } from './problem';
import { ProblemCode } from './problem-code';
import { HealthCheck } from './health-check';
import { AppLabels } from './labels';
import { NodePortRange } from './node-port-range';
import { VolumeMount } from './volume';
import { planRollingUpdate, planShutdown, RollingUpdateOptions, ShutdownOptions, ShutdownPlan } from './shutdown';
import { IWorkload, resolveNamespace } from './workload';

/** A node port known only at synth, when the whole App is there (read when the Service is rendered). */
export interface INodePortSource {
  /** The node port, if one could be given. */
  readonly nodePort?: number;
}

/** One port of a Service: what clients connect to, and where it goes. */
export interface ServicePortMapping {
  /** The port clients connect to, `<service>:<port>`. */
  readonly port: number;
  /** The container port traffic is forwarded to; it becomes the Service's `targetPort`. */
  readonly target: ContainerPort;
  /**
   * The fixed port on every node (NodePort and LoadBalancer only, 30000-32767).
   * @default - Kubernetes picks a free one
   */
  readonly nodePort?: number;
}

/** The Service in front of a {@link Microservice}. */
export interface MicroserviceServiceOptions {
  /**
   * How the Service is reached.
   * ExternalName has no pods behind it: use {@link ExternalNameService} for that.
   * @default ServiceType.CLUSTER_IP
   */
  readonly type?: ServiceType;
  /**
   * The Service's ports.
   * @default - every container port, on its own number
   */
  readonly ports?: ServicePortMapping[];
  /**
   * The Service's exact name, when clients know it by another name than the workload's.
   * @default - the workload's name
   */
  readonly name?: string;
  /**
   * A headless Service (`clusterIP: None`): DNS returns the pod IPs. ClusterIP only.
   * @default false
   */
  readonly headless?: boolean;
  /**
   * Send each client to the same pod every time (`sessionAffinity: ClientIP`).
   * @default false
   */
  readonly stickySessions?: boolean;
}

/** Linux identity and hardening of a workload's container. */
export interface WorkloadSecurityOptions {
  /**
   * Numeric user to run as (0 to 2147483647). Any user but root (0) also sets
   * `runAsNonRoot`, so the kubelet would refuse to start the container as root.
   * `0` asks for root on purpose: it is written as `runAsUser: 0` alone, since
   * the kubelet refuses `runAsNonRoot` with uid 0 ("container's runAsUser
   * breaks non-root policy"). Pod Security's restricted level refuses it.
   * @default - the image's own user (which may be root)
   */
  readonly user?: number;
  /**
   * Numeric group to run as (0 to 2147483647).
   * @default - the image's own group
   */
  readonly group?: number;
  /**
   * Group that owns mounted volumes, so a non-root user can write them (0 to 2147483647).
   * @default - the same as `group`
   */
  readonly fsGroup?: number;
  /**
   * Mount the image read-only; mount volumes where the process writes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Linux capabilities to keep; all others are dropped. Names as Kubernetes
   * writes them: upper case, without `CAP_` (e.g. `NET_BIND_SERVICE`). Synth
   * reports a name that is none (the runtime would ignore it), `CAP_X`
   * (containerd adds `CAP_` itself, and ignores `CAP_CAP_X`) and `ALL` (applied
   * before `drop: [ALL]`, it gives none); a name in lower case is a warning
   * (Pod Security admission compares names exactly).
   * @default - none
   */
  readonly capabilities?: string[];
  /**
   * Lets the container bind ports from this number up without any capability,
   * through the namespaced sysctl `net.ipv4.ip_unprivileged_port_start`
   * (a "safe" sysctl, allowed by the baseline Pod Security Standard).
   * From 0 to 32768: the kernel refuses a start above its `ip_local_port_range`
   * (32768-60999 in a pod), and the pod would not start.
   * @default - the kernel's 1024
   */
  readonly unprivilegedPortStart?: number;
}

/** How a Deployment replaces its pods. */
export enum DeploymentStrategy {
  /** Start new pods before old ones stop: no downtime. */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Stop all old pods first: for workloads that must never run twice (one data directory). */
  RECREATE = 'Recreate',
}

/** Props of {@link Microservice}. */
export interface MicroserviceProps {
  /**
   * The exact name of the Deployment, its pods' `app.kubernetes.io/name` and the
   * Service. Other components find the Service by this DNS name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Container image with an explicit tag or digest, e.g. `postgres:15-alpine`; not `latest`. */
  readonly image: string;
  /**
   * Accept the moving tag `latest`, on purpose, for an image that publishes
   * no other (pair it with the default `imagePullPolicy: Always`, so every
   * node runs what `latest` is now).
   * @default false
   */
  readonly allowLatestTag?: boolean;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Ports the container listens on.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * The Service in front of the pods; `false` for none.
   * @default - a ClusterIP Service over every port when there are ports, none otherwise
   */
  readonly service?: MicroserviceServiceOptions | false;
  /**
   * Environment variables; use `EnvValue.fromSecretValue` for anything secret (a literal value
   * for a name with PASSWORD, SECRET or TOKEN in it is reported at synth).
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * The program to run instead of the image's entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint (or `command`).
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * CPU and memory. Memory needs a request and a limit; CPU a request.
   * @default - 100m CPU, 128Mi memory requested, 256Mi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * When the pod may receive traffic.
   * @default - no readiness check
   */
  readonly readiness?: HealthCheck;
  /**
   * When the container must be restarted.
   * @default - no liveness check
   */
  readonly liveness?: HealthCheck;
  /**
   * Holds off the liveness check until the process has started.
   * @default - no startup check
   */
  readonly startup?: HealthCheck;
  /**
   * Volumes mounted into the container.
   * @default - none
   */
  readonly volumes?: VolumeMount[];
  /**
   * Identity and hardening.
   * @default - the image's user, read-only root, all capabilities dropped
   */
  readonly security?: WorkloadSecurityOptions;
  /**
   * `app.kubernetes.io/instance`, which separates two installations of one app.
   * @default - the same as `name`
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/component`.
   * @default - none
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the same as `instance`
   */
  readonly partOf?: string;
  /**
   * Spread pods across nodes (`topologySpreadConstraints` on the host name).
   * @default false
   */
  readonly spreadAcrossNodes?: boolean;
  /**
   * When the kubelet pulls the image. `Always` keeps every node on the image a
   * moving tag (`15-alpine`, `latest`) points to now; use `IF_NOT_PRESENT` for
   * images side-loaded into a cluster (`kind load docker-image`).
   * @default ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * How pods are replaced on update.
   * @default DeploymentStrategy.ROLLING_UPDATE
   */
  readonly strategy?: DeploymentStrategy;
  /**
   * How a rolling update replaces pods (DeploymentStrategy.ROLLING_UPDATE only).
   * The default never lets fewer pods be ready than asked for: a new pod
   * starts and becomes ready before an old one stops.
   * @default - maxSurge 25% (at least one pod), maxUnavailable 0
   */
  readonly rollingUpdate?: RollingUpdateOptions;
  /**
   * How its pods stop. A workload with a Service that rolls drains first: a
   * `preStop` hook runs `sleep 5` while the Service's endpoints drop the pod
   * everywhere, and the grace period covers that pause plus 30 s for the
   * process. That needs a `sleep` in the image: set `imageHasSleep: false`
   * for an image without one (FROM scratch, distroless), which then gets no
   * pause unless `drainCommand` gives one.
   * @default - a 5 s drain pause and a 35 s grace period for a workload with a
   * Service updated by DeploymentStrategy.ROLLING_UPDATE whose image has `sleep`;
   * Kubernetes' defaults (no pause, 30 s) otherwise
   */
  readonly shutdown?: ShutdownOptions;
  /**
   * Protect the workload with the connections declared to it: the first
   * `connectTo` it writes an {@link IngressPolicy} (named `<name>-ingress`)
   * that admits exactly the declared clients on their ports. An explicit
   * IngressPolicy for it (a public front end's `fromAnywhere`) takes its place.
   * `false` writes none: every pod may connect.
   * @default true
   */
  readonly policyFromConnections?: boolean;
}

const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/**
 * A workload and the Service in front of it: a Deployment whose pods carry
 * stable labels, and a Service that selects exactly those labels and forwards
 * to ports the container declares. The selector and the target ports are
 * derived, never typed twice, so the Service cannot route nowhere.
 */
export class Microservice extends Construct implements IWorkload {
  /** The exact name of the Deployment and the Service. */
  public readonly name: string;
  /** The namespace of its objects: its own, else its Chart's. */
  public readonly namespace?: string;
  /** The labels of its objects and pods. */
  public readonly labels: AppLabels;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service, if any. */
  public readonly service?: ApiObject;
  /** The ports the container listens on. */
  public readonly ports: ContainerPort[];
  /** The ports clients use to reach the Service, if any. */
  public readonly servicePorts: ServicePortMapping[];
  /** The number of pods asked for; an {@link Autoscaling} on this workload owns the count instead. */
  // Optional as IWorkload's is (jsii keeps an implementation's property as optional as its interface's); always set.
  public readonly replicas?: number;
  /** Its workload object's kind. */
  public readonly kind = 'Deployment';
  /** The Service's name, if there is a Service. */
  public readonly serviceName?: string;

  private readonly env: Map<string, EnvValue>;
  /** Env vars given again with addEnv, which would silently replace the first value; made when first needed, as assignedNodePorts is (few workloads of a fleet have any). */
  private envSetTwice?: string[];
  private readonly volumes: VolumeMount[];
  private autoscaled = false;
  private assignedNodePorts?: Map<number, INodePortSource>;
  private readonly found: Problems;
  private readonly stopping: ShutdownPlan;
  private readonly recreates: boolean;
  private readonly rollingUpdate?: k8s.RollingUpdateDeployment;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    // Every props mistake is collected and reported by synth together with
    // all others; the values only flow into manifests that are then not written.
    const found = Problems.of(this);
    this.found = found;
    if (props.policyFromConnections ?? true) {
      derivesIngressPolicy(this, this);
    }
    this.name = props.name ?? id;
    this.namespace = resolveNamespace(this, props.namespace);
    this.ports = [...(props.ports ?? [])];
    // A Service named after the workload needs a DNS-1035 label; the Deployment and its container a DNS-1123 label.
    const servesUnderOwnName = props.service === undefined ? this.ports.length > 0 : props.service !== false && props.service.name === undefined;
    const badName = found._place(nameFinding('name', this.name, servesUnderOwnName ? 'dns1035' : 'dns1123'));

    // The API server takes most image strings; the kubelet refuses these (InvalidImageName).
    checkImage(found, props.image, props.allowLatestTag ?? false);
    const replicas = props.replicas ?? 1;
    found._record(integerFinding('replicas', replicas, 0, INT32_MAX));
    this.replicas = replicas;
    found._adoptAll(this.ports);
    repeated(this.ports.map(p => p.name)).forEach(v => found._record(duplicate('container port name', v)));
    repeated(this.ports.map(p => `${p.number}/${p.protocol}`)).forEach(v => found._record(duplicate('container port number', v)));
    for (const [kind, probe] of [['readiness', props.readiness], ['liveness', props.liveness], ['startup', props.startup]] as const) {
      found._adopt(probe);
      if (probe?.port) {
        this.checkOwnPort(probe.port, 'a health check');
        const port = probe.port;
        if (!probeCanReach(port.protocol)) {
          found.report(ProblemCode.PROBE_NEVER_PASSES, `the ${kind} check ${probe._action} to container port ${port.name} (${port.number}), which is ${port.protocol}, so it can never pass`,
            `probe a TCP port of the container, or check the ${port.protocol} service with HealthCheck.command([...])`);
        }
      }
    }
    checkSecurity(found, props.security ?? {});
    for (const [what, line] of [['command', props.command], ['args', props.args]] as const) {
      for (const c of literalCredentialsInCommandLine(line ?? [])) {
        found.report(ProblemCode.CREDENTIAL_IN_LITERAL,
          c.flag !== undefined ? `${what}[${c.index}] passes a literal value to ${c.flag}` : `${what}[${c.index}] holds a literal password in ${c.place}`,
          'put it in a Secret, add it as an env var with EnvValue.fromSecretValue(...), e.g. DB_PASSWORD, and write $(DB_PASSWORD) in its place (the kubelet expands env var references in command and args)');
      }
    }

    this.labels = new AppLabels({ name: this.name, instance: props.instance, component: props.component, partOf: props.partOf });
    // The App-wide name check would find the same name on the objects written with it.
    const writtenWith = (problem: ProblemReport | undefined, kind: string, name: string) => problem && found._consequence(problem, { code: ProblemCode.INVALID_NAME, kind, namespace: this.namespace, name });
    writtenWith(badName, 'Deployment', this.name);
    const metadata = { name: this.name, namespace: props.namespace, labels: this.labels.all };

    this.env = new Map(Object.entries(props.env ?? {}));
    this.volumes = [...(props.volumes ?? [])];
    // Env vars and volumes may be added after construction: checked at synth.
    // A credential written as a literal ends up in plain text in the manifest.
    found._later(() => {
      for (const envName of this.env.keys()) {
        // The message is built only for a bad name (here and below): this runs for every workload of a fleet.
        if (!isEnvVarName(envName)) {
          found.report(ProblemCode.INVALID_NAME,
            `env var name "${envName}" is not one Kubernetes accepts (letters, digits, "_", "-" and ".", not starting with a digit or "..")`,
            `rename it, e.g. to "${envName.replace(/[^-._a-zA-Z0-9]+/g, '_').replace(/^(?=[0-9])/, '_').replace(/^\.+/, '') || 'NAME'}"`);
        }
      }
      for (const envName of this.envSetTwice ?? []) {
        // Legal (only the last value is written) but almost surely a mistake.
        found.report(ProblemCode.DUPLICATE, `env var ${envName} is set twice (the second time with addEnv), and only the last value is written`, `set ${envName} once`, ProblemSeverity.WARNING);
      }
      for (const [envName, value] of this.env) {
        if (value.value === undefined) {
          continue;
        }
        if (namesCredential(envName)) {
          found.report(ProblemCode.CREDENTIAL_IN_LITERAL, `env ${envName} is a literal value, but its name says it holds a credential`,
            `put it in a Secret and use EnvValue.fromSecretValue(...) (or Credentials) for ${envName}`);
          continue;
        }
        // Whatever its name, a value may carry a password inside a URL or a connection string.
        const place = literalCredentialIn(value.value);
        if (place !== undefined) {
          found.report(ProblemCode.CREDENTIAL_IN_LITERAL, `env ${envName} holds a literal password in ${place}`,
            `put the password in a Secret, add it as an env var with EnvValue.fromSecretValue(...), e.g. DB_PASSWORD, and write $(DB_PASSWORD) in its place in ${envName}`);
        }
      }
      found._adoptAll(this.volumes.map(v => v.volume));
      repeated(this.volumes.map(v => v.volume.name)).forEach(v => found._record(duplicate('volume name', v)));
      repeated(this.volumes.map(v => v.path)).forEach(v => found._record(duplicate('mount path', v)));
      for (const v of this.volumes) {
        // Legal, and the runtime mounts it under the root (seen on containerd); almost surely meant absolute.
        found.warnUnless(v.path.startsWith('/'), ProblemCode.INVALID_VALUE, `mount path "${v.path}" is not absolute; the runtime mounts it at "/${v.path}"`, `write "/${v.path}"`);
      }
    });
    const resources = toResources(found, props.resources ?? DEFAULT_RESOURCES);

    // Zero downtime by default: a pod that serves through a Service and is replaced one by
    // one drains before it stops, and an update never lets fewer pods be ready than asked for.
    // A Recreate workload stops every pod anyway (docs/reliability.md).
    const recreates = props.strategy === DeploymentStrategy.RECREATE;
    this.recreates = recreates;
    const serves = props.service === undefined ? this.ports.length > 0 : props.service !== false;
    this.stopping = planShutdown(props.shutdown ?? {}, serves && !recreates);
    this.stopping.findings.forEach(f => found._record(f));
    found.check(!recreates || props.rollingUpdate === undefined, ProblemCode.CONFLICTING_SETTINGS, 'rollingUpdate is set on a workload updated by DeploymentStrategy.RECREATE',
      'drop rollingUpdate, or the Recreate strategy');
    if (!recreates || props.rollingUpdate !== undefined) {
      const rolling = planRollingUpdate(props.rollingUpdate ?? {});
      rolling.findings.forEach(f => found._record(f));
      this.rollingUpdate = rolling.rollingUpdate;
    }

    // The spec is rendered at synth, as cdk8s-plus does, so that env vars, volumes and
    // autoscaling added after construction show in it.
    this.deployment = new KubeDeployment(this, 'Deployment', {
      metadata,
      spec: Lazy.any({ produce: () => this.deploymentSpec(props, resources) }),
    });

    const service = props.service === undefined ? (this.ports.length > 0 ? {} : false) : props.service;
    if (service === false) {
      this.servicePorts = [];
      return;
    }
    this.servicePorts = service.ports ?? this.ports.map(p => ({ port: p.number, target: p }));
    this.serviceName = service.name ?? this.name;
    // The Service named after the workload repeats the name check above.
    writtenWith(service.name === undefined ? badName : found._place(nameFinding('Service name', service.name, 'dns1035')), 'Service', this.serviceName);
    // Object.assign rather than a spread, here and in connectTo: see "Spreads on Node 20" in docs/performance.md.
    this.service = this.createService(service, Object.assign({}, metadata, { name: this.serviceName }), found);
  }

  /** Labels that select exactly its pods. */
  public get podSelector(): { [key: string]: string } {
    return this.labels.selector;
  }

  /** Every label its pods carry. */
  public get podLabels(): { [key: string]: string } {
    return this.labels.all;
  }

  /** Leaves the pod count to an autoscaler: the Deployment is written without `replicas`. */
  public leaveReplicasToAutoscaler(): void {
    this.autoscaled = true;
  }

  /** Adds an environment variable; use `EnvValue.fromSecretValue` for anything secret. */
  public addEnv(name: string, value: EnvValue): void {
    if (this.env.has(name)) {
      (this.envSetTwice ??= []).push(name);
    }
    this.env.set(name, value);
  }

  /** Mounts a volume into the container. */
  public addVolume(mount: VolumeMount): void {
    this.volumes.push(mount);
  }

  /**
   * Declares that this workload's pods connect to `target`'s pods: the
   * {@link IngressPolicy} of the target then admits them.
   */
  public connectTo(target: IWorkload, options: ConnectionOptions = {}): Connection {
    const existing = this.node.children.find((c): c is Connection => c instanceof Connection && c.server === target);
    if (existing !== undefined) {
      this.found.report(ProblemCode.DUPLICATE, `already connects to ${target.name}`, `state each connection once; to add ports, list them all in one connectTo(${target.name}, { ports })`);
      return existing;
    }
    // Two targets of one name live in different namespaces.
    const base = `ConnectsTo-${target.name}`;
    const id = this.node.tryFindChild(base) ? `${base}-${target.namespace ?? 'default'}` : base;
    return new Connection(this, id, Object.assign({}, options, { client: this, server: target }));
  }

  /**
   * Gives the Service's port `portIndex` a node port worked out at synth, by
   * something that must see the whole App first (a fleet's allocator): read
   * from `source` when the Service is rendered.
   */
  public assignNodePort(portIndex: number, source: INodePortSource): void {
    (this.assignedNodePorts ??= new Map()).set(portIndex, source);
  }

  private createService(options: MicroserviceServiceOptions, metadata: k8s.ObjectMeta, found: Problems): ApiObject {
    const type = options.type ?? ServiceType.CLUSTER_IP;
    found.check(type !== ServiceType.EXTERNAL_NAME, ProblemCode.INVALID_VALUE, 'an ExternalName Service has no pods behind it',
      'use ExternalNameService for an outside host, or ClusterIP/NodePort/LoadBalancer here');
    found.check(this.servicePorts.length > 0, ProblemCode.MISSING_SETTING, 'has a Service but no ports to expose',
      'declare the container ports with ContainerPort.tcp(name, port), or set service: false');
    if (options.headless && type !== ServiceType.CLUSTER_IP) {
      found.report(ProblemCode.CONFLICTING_SETTINGS, `a headless Service must be ClusterIP, not ${type}`, 'drop headless or use ServiceType.CLUSTER_IP');
    }
    // Service ports made from the container ports repeat only what the container port check reports.
    if (options.ports) {
      found._adoptAll(options.ports.map(p => p.target));
      repeated(this.servicePorts.map(p => `${p.port}/${p.target.protocol}`)).forEach(v => found._record(duplicate('service port', v)));
      // Each Service port is named after its target, and the API server refuses two of one name.
      for (const name of repeated(this.servicePorts.map(p => p.target.name))) {
        found.report(ProblemCode.DUPLICATE, `two service ports target container port ${name}, and a Service port takes its target's name`,
          `declare one container port per Service port (e.g. ContainerPort.tcp('${name}-alt', ...)), or keep one of them`);
      }
    }
    for (const p of this.servicePorts) {
      // A Service port made from a container port repeats only what the container port reports.
      if (options.ports) {
        found._record(portFinding('service port', p.port));
      }
      const undeclared = this.checkOwnPort(p.target, `service port ${p.port}`);
      if (undeclared) {
        // The App-wide targetPort check would find the same port on the Service.
        found._consequence(undeclared, { code: ProblemCode.UNDECLARED_PORT, kind: 'Service', namespace: this.namespace, name: metadata.name! });
      }
      if (p.nodePort !== undefined) {
        const nodePort = p.nodePort;
        if (found.check(type === ServiceType.NODE_PORT || type === ServiceType.LOAD_BALANCER,
          ProblemCode.CONFLICTING_SETTINGS, `node port ${nodePort} is set on a ${type} Service`, 'use ServiceType.NODE_PORT (or LOAD_BALANCER), or drop nodePort')) {
          const range = NodePortRange.forScope(this);
          // Membership is NodePortRange's rule (the App-wide check's and the diagram's too); integerFinding only words the problem.
          const outside = range.includes(nodePort) ? undefined : found._place(integerFinding('node port', nodePort, range.first, range.last, ProblemCode.NODE_PORT));
          if (outside !== undefined) {
            // The App-wide node port check would find the same port on the Service.
            found._consequence(outside, { code: ProblemCode.NODE_PORT, kind: 'Service', namespace: this.namespace, name: metadata.name! });
          }
        }
      }
    }
    return new KubeService(this, 'Service', {
      metadata,
      spec: Lazy.any({
        produce: (): k8s.ServiceSpec => ({
          type,
          clusterIp: options.headless ? 'None' : undefined,
          selector: this.labels.selector,
          sessionAffinity: options.stickySessions ? 'ClientIP' : undefined,
          ports: this.servicePorts.map((p, i) => ({
            name: p.target.name,
            port: p.port,
            targetPort: k8s.IntOrString.fromNumber(p.target.number),
            nodePort: this.assignedNodePorts?.get(i)?.nodePort ?? p.nodePort,
            protocol: p.target.protocol,
          })),
        }),
      }),
    });
  }

  private deploymentSpec(props: MicroserviceProps, resources: k8s.ResourceRequirements | undefined): k8s.DeploymentSpec {
    const security = props.security ?? {};
    const volumes = this.volumes;
    return {
      // An autoscaler owns the count: with it written, every apply would reset a scaled Deployment.
      replicas: this.autoscaled ? undefined : this.replicas,
      selector: { matchLabels: this.labels.selector },
      // RollingUpdate is written with both of its parameters: a bare one would make every
      // re-apply report a change, and the API's default lets a quarter of the pods go unready.
      // (Parameters on Recreate are reported, and written as given, as the API server would see them.)
      strategy: { type: this.recreates ? DeploymentStrategy.RECREATE : DeploymentStrategy.ROLLING_UPDATE, rollingUpdate: this.rollingUpdate },
      template: {
        metadata: { labels: this.labels.all },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: this.stopping.gracePeriodSeconds,
          securityContext: {
            seccompProfile: { type: 'RuntimeDefault' },
            // Root asked for by number is written as such: the kubelet refuses runAsNonRoot with uid 0.
            // (Unset fields are left out when rendered; no conditional spreads, see docs/performance.md.)
            runAsNonRoot: security.user !== undefined && security.user !== 0 ? true : undefined,
            runAsUser: security.user,
            runAsGroup: security.group,
            fsGroup: security.fsGroup ?? security.group,
            sysctls: security.unprivilegedPortStart !== undefined
              ? [{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: String(security.unprivilegedPortStart) }] : undefined,
          },
          containers: [{
            name: this.name,
            image: props.image,
            imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.ALWAYS,
            command: props.command,
            args: props.args,
            ports: this.ports.length > 0
              ? this.ports.map(p => ({ name: p.name, containerPort: p.number, protocol: p.protocol }))
              : undefined,
            env: toEnv(this.env),
            resources,
            readinessProbe: props.readiness?._toKube(),
            livenessProbe: props.liveness?._toKube(),
            startupProbe: props.startup?._toKube(),
            lifecycle: this.stopping.preStop ? { preStop: this.stopping.preStop } : undefined,
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
              capabilities: { drop: ['ALL'], add: security.capabilities?.length ? [...security.capabilities] : undefined },
            },
            volumeMounts: volumes.length > 0 ? volumes.map(v => ({ name: v.volume.name, mountPath: v.path })) : undefined,
          }],
          volumes: volumes.length > 0 ? volumes.map(v => v.volume._toKube()) : undefined,
          topologySpreadConstraints: props.spreadAcrossNodes ? [{
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: this.labels.selector },
          }] : undefined,
        },
      },
    };
  }

  /** Reports a port this container does not declare; returns the problem, if any. */
  private checkOwnPort(port: ContainerPort, user: string): ProblemReport | undefined {
    return includesPort(this.ports, port) ? undefined : this.found.report(ProblemCode.UNDECLARED_PORT,
      `${user} targets container port ${port.name} (${port.number}), which this container does not declare`,
      `add it to ports, or target one of: ${this.ports.map(p => `${p.name} (${p.number})`).join(', ') || 'none declared'}`);
  }
}

/**
 * Reports the security settings a node refuses or ignores, or the API server
 * refuses: uids and gids, capabilities, the unprivileged port start.
 */
function checkSecurity(found: Problems, security: WorkloadSecurityOptions): void {
  for (const [what, id] of [['user', security.user], ['group', security.group], ['fsGroup', security.fsGroup]] as const) {
    if (id !== undefined && !isLinuxId(id)) {
      found._record(integerFinding(`security.${what}`, id, 0, LINUX_ID_MAX, ProblemCode.SECURITY_CONTEXT));
    }
  }
  for (const name of security.capabilities ?? []) {
    const verdict = capabilityVerdict(name);
    switch (verdict.kind) {
      case 'ok':
        break;
      case 'all':
        found.report(ProblemCode.REFUSED_AT_RUN_TIME, `capability "${name}" gives the container none: the runtime adds ALL before it applies the drop: [ALL] every container has`,
          'name each capability the process needs, e.g. "NET_BIND_SERVICE"');
        break;
      case 'prefixed':
        found.report(ProblemCode.REFUSED_AT_RUN_TIME, `capability "${name}" is ignored by containerd, which adds CAP_ itself (CAP_${name.toUpperCase()} is no capability)`,
          `write "${verdict.name}"`);
        break;
      case 'lower-case':
        found.report(ProblemCode.POD_SECURITY, `capability "${name}" is in lower case: the runtime accepts it, but Pod Security admission compares names exactly and refuses it at the baseline and restricted levels`,
          `write "${verdict.name}"`, ProblemSeverity.WARNING);
        break;
      case 'unknown':
        found.report(ProblemCode.REFUSED_AT_RUN_TIME, `capability "${name}" is not a Linux capability, so the runtime ignores it and the process runs without it`,
          `use a Linux capability name, e.g. "${verdict.name}"`);
        break;
    }
  }
  const portStart = security.unprivilegedPortStart;
  if (portStart === undefined || isUnprivilegedPortStart(portStart)) {
    return;
  }
  found.report(ProblemCode.REFUSED_AT_RUN_TIME,
    `security.unprivilegedPortStart must be an integer from 0 to ${LOCAL_PORT_RANGE_START}, got ${portStart}: the kernel refuses ${UNPRIVILEGED_PORT_START_SYSCTL} above the start of ip_local_port_range (${LOCAL_PORT_RANGE_START}), and the pod does not start`,
    'set it to the lowest port the process binds, e.g. 80');
}

/**
 * Reports an image reference the kubelet refuses, or one that is not pinned.
 * Each message is built only when its check fails: this runs for every workload of a fleet.
 */
function checkImage(found: Problems, image: string, allowLatestTag: boolean): void {
  if (!/^[^\s]+$/.test(image)) {
    found.report(ProblemCode.REFUSED_AT_RUN_TIME, `image "${image}" is empty or contains spaces, which the kubelet refuses (InvalidImageName)`,
      'set image to a reference such as "redis:7-alpine"');
  } else {
    const { host, path, rest } = splitImage(image);
    if (/[A-Z]/.test(path)) {
      found.report(ProblemCode.REFUSED_AT_RUN_TIME, `image "${image}" has upper-case letters in its repository name, which the kubelet refuses (InvalidImageName)`,
        `write the repository in lower case, e.g. "${host}${path.toLowerCase()}${rest}"`);
    }
    if (!(rest.includes('@sha256:') || (rest.startsWith(':') && rest.length > 1))) {
      found.report(ProblemCode.UNPINNED_IMAGE, `image "${image}" has no tag or digest, so every pull may bring a different version`,
        `pin it, e.g. "${image}:1.0" or "${image}@sha256:..."`);
    }
    if (!allowLatestTag && image.endsWith(':latest')) {
      found.report(ProblemCode.UNPINNED_IMAGE, `image "${image}" uses the moving tag latest, so every pull may bring a different version`,
        `pin a version or digest, e.g. "${image.slice(0, -':latest'.length)}:1.0"; for an image published only as latest, set allowLatestTag: true`);
    }
  }
}

/** A value of `what` that is used more than once. */
function duplicate(what: string, value: string): Finding {
  return finding(ProblemCode.DUPLICATE, `${what} "${value}" is used twice`, `give each ${what} a distinct value`);
}

/**
 * An image reference as registry host, repository path and tag or digest. The
 * host may be in any case, the path only in lower case; the tag in any.
 */
function splitImage(image: string): { host: string; path: string; rest: string } {
  const at = image.indexOf('@');
  const withoutDigest = at < 0 ? image : image.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  const name = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
  const rest = image.slice(name.length);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // The first component is a registry host when it has a dot or a port, or is localhost.
  const host = first !== '' && (/[.:]/.test(first) || first === 'localhost') ? `${first}/` : '';
  return { host, path: name.slice(host.length), rest };
}

/**
 * The env vars in name order, except that a var comes after the vars its value
 * refers to (`$(DB_PASSWORD)`): the kubelet expands a reference only to a var
 * defined before it, and leaves any other as literal text.
 */
function toEnv(env: Map<string, EnvValue>): k8s.EnvVar[] | undefined {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name)) {
      return;
    }
    placed.add(name);
    // A var referred to is placed first; a cycle is broken where it closes (the kubelet cannot expand it either).
    for (const [, ref] of (env.get(name)!.value ?? '').matchAll(ENV_REFERENCE)) {
      if (env.has(ref)) {
        place(ref);
      }
    }
    ordered.push(name);
  };
  [...env.keys()].sort().forEach(place);
  return ordered.length === 0 ? undefined : ordered.map(name => ({ name, value: env.get(name)!.value, valueFrom: env.get(name)!.valueFrom }));
}

/** A reference to an env var, `$(NAME)`, not escaped as `$$(NAME)`. */
const ENV_REFERENCE = /(?<!\$)\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/** Quantity of a `Cpu` in millicores, for comparing requests and limits. */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}

/** The resources as written, or undefined when they have a problem (recorded in `found`). */
function toResources(found: Problems, r: ContainerResources): k8s.ResourceRequirements | undefined {
  const cpu = r.cpu;
  const memory = r.memory;
  if (!cpu?.request || !memory?.request || !memory.limit) {
    found.report(ProblemCode.RESOURCES, 'resources need a CPU request, a memory request and a memory limit, so the scheduler can place the pod and a leak cannot starve the node',
      'set resources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } }');
    return undefined;
  }
  const request = mebibytesOf('memory request', memory.request, ProblemCode.RESOURCES, 'use Size.mebibytes(n) with n >= 1');
  const limit = mebibytesOf('memory limit', memory.limit, ProblemCode.RESOURCES, 'use Size.mebibytes(n) with n >= 1');
  if (!found._record(request.finding) || !found._record(limit.finding)) {
    return undefined;
  }
  const memRequest = request.mebibytes!;
  const memLimit = limit.mebibytes!;
  // The first problem found is reported; its message is built only then.
  if (memLimit < memRequest) {
    found.report(ProblemCode.RESOURCES, `memory request ${memRequest}Mi is above the limit ${memLimit}Mi`, 'raise the limit or lower the request');
    return undefined;
  }
  if (!(cpuMillis(cpu.request) > 0)) {
    found.report(ProblemCode.RESOURCES, `CPU request ${cpu.request.amount} must be above zero`, 'use Cpu.millis(n) with n >= 1');
    return undefined;
  }
  if (cpu.limit && !(cpuMillis(cpu.limit) >= cpuMillis(cpu.request))) {
    found.report(ProblemCode.RESOURCES, `CPU request ${cpu.request.amount} is above the limit ${cpu.limit.amount}`, 'raise the limit or lower the request');
    return undefined;
  }
  const memoryLimit = k8s.Quantity.fromString(`${memLimit}Mi`);
  return {
    requests: { cpu: k8s.Quantity.fromString(cpu.request.amount), memory: k8s.Quantity.fromString(`${memRequest}Mi`) },
    // Both shapes written out, not a conditional spread: see "Spreads on Node 20" in docs/performance.md.
    limits: cpu.limit ? { cpu: k8s.Quantity.fromString(cpu.limit.amount), memory: memoryLimit } : { memory: memoryLimit },
  };
}

import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { placed, ProblemReport, ProblemSeverity } from './problem';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
import { NodePortRange } from './node-port-range';
import { ClusterDns } from './cluster-dns';
import { PortProtocol } from './container-port';
import { Connection } from './connection';
import { ConnectionDeclaration, ConnectionEnd, declarationsOf, ExternalDeclaration, ExternalKind, ImportedWorkloadDeclaration } from './declarations';
import {
  BASELINE_CAPABILITIES, BUILT_IN_NAMESPACES, enforcedLevelOf, nearestName, PodSecurityViolation, RESTRICTED_VOLUME_TYPES, SAFE_SYSCTLS, SELINUX_TYPES,
} from './rules';
import {
  isClusterScoped, isLabelKey, isLabelValue, isNamespaceName, headerOf, isValidName, Labels, ManifestIndex, matchesLabels,
  nameRuleOf, NetworkPolicy, PolicyVerdict, ObjectHeader, NodePortClaims, PodRef, WorkloadEntry, ReferenceSource, referenceProblem, resolveTargetPort,
} from './model';

// Manifests are untyped JSON here: every object of the App, whatever made it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An API object of the App and the JSON it renders to. */
export interface RenderedObject {
  /** The object. */
  readonly construct: ApiObject;
  /** Its manifest, as `toJson()` returns it. */
  readonly json: Json;
}

/**
 * The charts of an App. `App.charts` sorts them by building a dependency
 * graph of the whole construct tree on every call; the output does not
 * depend on chart order (each chart has its own file), so a walk does.
 */
export function chartsOf(app: App): Chart[] {
  return app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
}

/** Renders every API object of the App once, in output order (construct tree order). */
export function renderApp(app: App): RenderedObject[] {
  const prepare = preparingDependencies(app);
  return chartsOf(app).flatMap(chart => renderChart(chart, prepare));
}

/**
 * Renders the API objects of one chart in the order `chart.toJson()` uses.
 * For charts without explicit dependencies that is construct tree order;
 * charts with dependencies are left to cdk8s to sort.
 */
export function renderChart(chart: Chart, prepare?: () => void): RenderedObject[] {
  return objectsInOrder(chart, prepare).map(construct => ({ construct, json: construct.toJson() }));
}

/**
 * The API objects of one chart in the order `chart.toJson()` writes them.
 * A pass over every chart of an App passes each the same `prepare`
 * ({@link preparingDependencies}), so the App's dependencies are prepared once.
 * @internal
 */
export function objectsInOrder(chart: Chart, prepare: () => void = preparingDependencies(chart.node.root)): ApiObject[] {
  const { objects, dependencies } = ownObjects(chart);
  if (!dependencies) {
    return objects;
  }
  // With dependencies, the same topological order cdk8s's own synth uses, after the same preparation.
  prepare();
  return new DependencyGraph(chart.node).topology().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}

/**
 * The preparation of the App's dependencies for {@link objectsInOrder}, run when a chart first
 * needs it and at most once: it walks the whole App, as cdk8s's synth does once, not once per chart.
 * @internal
 */
export function preparingDependencies(app: IConstruct): () => void {
  let prepared = false;
  return () => {
    if (!prepared) {
      prepared = true;
      addImplicitDependencies(app);
    }
  };
}

/**
 * What every cdk8s synth does to the App before it orders a chart (`resolveDependencies` in
 * cdk8s's app.js, which it does not export): a chart depends on the charts nested in it and on
 * the charts its constructs depend on, and the API objects under a construct depend on the API
 * objects under each construct it depends on, each of its own chart. Like cdk8s, it adds these
 * to the tree; a second time adds nothing.
 */
function addImplicitDependencies(app: IConstruct): void {
  const all = app.node.findAll();
  for (const parent of all.filter(Chart.isChart)) {
    parent.node.children.filter(Chart.isChart).forEach(child => parent.node.addDependency(child));
  }
  // Read twice, as cdk8s does: the second time with the charts' own dependencies.
  const declared = () => all.flatMap(source => source.node.dependencies.map(target => ({ source, target })));
  for (const { source, target } of declared()) {
    if (Chart.of(source) !== Chart.of(target)) {
      Chart.of(source).node.addDependency(Chart.of(target));
    }
  }
  const objectsUnder = (c: IConstruct, chart: Chart) => c.node.findAll().filter(x => ApiObject.isApiObject(x) && Chart.of(x) === chart);
  for (const { source, target } of declared()) {
    const targets = objectsUnder(target, Chart.of(target));
    for (const from of objectsUnder(source, Chart.of(source))) {
      targets.filter(to => to !== from).forEach(to => from.node.addDependency(to));
    }
  }
}

/** A rendered object as the checks see it. Its path is only worked out for a message. */
class Obj {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  constructor(public readonly construct: IConstruct, header: ObjectHeader) {
    this.kind = header.kind;
    this.name = header.name;
    this.namespace = header.namespace;
  }

  get path(): string {
    return this.construct.node.path;
  }
}

function fmt(o: Obj, code: ProblemCode, problem: string, fix: string): ProblemReport {
  const where = isClusterScoped(o.kind) ? o.name : `${o.namespace}/${o.name}`;
  return at(o.path, code, `${o.kind} ${where}: ${problem}`, fix);
}

function at(path: string, code: ProblemCode, problem: string, fix: string): ProblemReport {
  return placed(path, { code, problem, fix });
}

/** Whether a problem of `code` on the object is one a construct declared as a consequence of its own, already reported. */
function followsFrom(o: Obj, code: ProblemCode, kind = o.kind, name = o.name): boolean {
  return Problems._causeOf(o.construct, code, kind, o.namespace, name) !== undefined;
}

function show(selector: Labels): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The declaration of an object provided outside the App, by kind. */
const FACTORIES: Record<string, string> = { Secret: 'secret', ConfigMap: 'configMap', PersistentVolumeClaim: 'persistentVolumeClaim' };

/** `a, b and c`: the items, the last joined by `conjunction`. */
function listOf(items: readonly string[], conjunction: string): string {
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** What to change for a Pod Security check, by upstream's check id; its lists are the rules' own. */
const POD_SECURITY_FIXES: Record<string, string> = {
  privileged: 'remove securityContext.privileged=true',
  hostNamespaces: 'remove hostNetwork, hostPID and hostIPC',
  hostPorts: 'remove the hostPorts and reach the pods through a Service',
  hostPathVolumes: 'replace the hostPath volumes, e.g. with a persistentVolumeClaim or an emptyDir',
  capabilities_baseline: `add only capabilities of the default set (${BASELINE_CAPABILITIES.join(', ')})`,
  sysctls: `set only safe sysctls (${SAFE_SYSCTLS.join(', ')})`,
  procMount: 'leave securityContext.procMount unset',
  seLinuxOptions: `leave seLinuxOptions user and role unset, with type unset or ${listOf(SELINUX_TYPES, 'or')}`,
  seccompProfile_baseline: 'set seccompProfile.type to RuntimeDefault or Localhost, or leave it unset',
  appArmorProfile: 'use the runtime/default or a localhost/ AppArmor profile',
  windowsHostProcess: 'remove windowsOptions.hostProcess=true',
  restrictedVolumes: `use only ${listOf(RESTRICTED_VOLUME_TYPES, 'and')} volumes`,
  allowPrivilegeEscalation: 'set securityContext.allowPrivilegeEscalation=false on every container',
  runAsNonRoot: 'run as a non-root user: securityContext.runAsNonRoot=true with a non-root runAsUser (on a Microservice, security.user)',
  runAsUser: 'set runAsUser to a non-root uid (on a Microservice, security.user)',
  seccompProfile_restricted: 'set securityContext.seccompProfile.type to RuntimeDefault on the pod',
  capabilities_restricted: 'drop ALL capabilities on every container and add back at most NET_BIND_SERVICE',
};

function fixOfPodSecurity(v: PodSecurityViolation): string {
  return POD_SECURITY_FIXES[v.check] ?? `see the Pod Security Standards for ${v.check}`;
}

/** Where a reference is made, as the messages say it. */
function whereOf(source: ReferenceSource): string {
  switch (source.type) {
    case 'env': return `env ${source.env} of container ${source.container}`;
    case 'envFrom': return `envFrom of container ${source.container}`;
    case 'volume': return `volume ${source.volume}`;
    case 'imagePull': return 'imagePullSecrets';
  }
}

/** Options of the wiring checks. */
export interface WiringCheckOptions {
  /**
   * The node port range of the cluster the App is applied to.
   * @default NodePortRange.DEFAULT (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * The cluster's DNS pods, which egress policies must let clients reach.
   * @default ClusterDns.DEFAULT (k8s-app=kube-dns in kube-system)
   */
  readonly clusterDns?: ClusterDns;
}

/**
 * Checks the wiring of every object in the App, however it was made (our
 * constructs, cdk8s-plus, raw `imports/` bindings), and returns one message
 * per problem: what is wrong, where (construct path), and the fix.
 *
 * These are the mistakes the API server accepts and that then fail silently
 * at run time: a Service that selects no pod, a targetPort nobody listens on,
 * a reference to a Secret or key that does not exist, colliding node ports,
 * a declared connection that the NetworkPolicies block.
 *
 * @param rendered the App's objects, when the caller has rendered them already
 * @param constructs the App's constructs (`app.node.findAll()`), when the caller has walked the tree already
 */
export function checkWiring(app: App, rendered: RenderedObject[] = renderApp(app), constructs: IConstruct[] = app.node.findAll(), options: WiringCheckOptions = {}): ProblemReport[] {
  // The cluster's range, as configured on the App, unless the caller gives one.
  const checks = new WiringChecks({ nodePortRange: options.nodePortRange ?? NodePortRange.forScope(app), clusterDns: options.clusterDns ?? ClusterDns.forScope(app) });
  for (const { construct, json } of rendered) {
    checks.add(construct, json);
  }
  return checks.problems(constructs);
}

/**
 * The checks of {@link checkWiring}, fed one rendered object at a time, so a
 * synth can write each manifest as soon as it is rendered: what the checks
 * keep of an object is a few fields (the model's {@link ManifestIndex}), not
 * its whole manifest. Each object is checked on its own as it is added; the
 * checks between objects run in {@link WiringChecks.problems}.
 * @internal
 */
export class WiringChecks {
  private readonly found: ProblemReport[] = [];
  private readonly objectOf = new Map<IConstruct, Obj>();
  private readonly index = new ManifestIndex<Obj>();
  private readonly nodePortRange: NodePortRange;
  private readonly clusterDns: ClusterDns;
  private readonly badNamespaces = new Set<string>();

  constructor(options: WiringCheckOptions = {}) {
    this.nodePortRange = options.nodePortRange ?? NodePortRange.DEFAULT;
    this.clusterDns = options.clusterDns ?? ClusterDns.DEFAULT;
  }

  /** Checks one object on its own (name, namespace, labels, duplicates) and keeps what the checks between objects need. */
  public add(construct: IConstruct, json: Json): void {
    const header = headerOf(json);
    const o = new Obj(construct, header);
    this.objectOf.set(construct, o);
    const { template, earlier } = this.index.add(o, json, header);

    // Names, label values, duplicates.
    const problems = this.found;
    if (earlier && !followsFrom(o, ProblemCode.DUPLICATE)) {
      problems.push(fmt(o, ProblemCode.DUPLICATE, `has the same name as the object at ${earlier.path}, so one would overwrite the other`, 'give one of them another name'));
    }
    if (!isValidName(o.kind, o.name) && !followsFrom(o, ProblemCode.INVALID_NAME)) {
      const { rule, max } = nameRuleOf(o.kind);
      problems.push(fmt(o, ProblemCode.INVALID_NAME, `name "${o.name}" is not a valid ${rule} (at most ${max} lower-case letters, digits and "-"${o.kind === 'Service' ? ', starting with a letter' : ''})`,
        'rename it, e.g. to lower-case words joined by "-"'));
    }
    // One bad namespace is one mistake, however many objects it is written on.
    if (!isClusterScoped(o.kind) && json.metadata?.namespace !== undefined && !isNamespaceName(o.namespace) && !this.badNamespaces.has(o.namespace)) {
      this.badNamespaces.add(o.namespace);
      problems.push(fmt(o, ProblemCode.INVALID_NAME, `namespace "${o.namespace}" is not a valid DNS-1123 label`, 'use lower-case letters, digits and "-", at most 63'));
    }
    checkLabels(problems, o, json.metadata?.labels);
    if (template && o.kind !== 'Pod') {
      checkLabels(problems, o, template.metadata.labels);
    }
  }

  /**
   * Every problem found: those of each object, then those between objects
   * (Services, references to Secrets and ConfigMaps, the Services of
   * declared connections, and the connections against the NetworkPolicies).
   *
   * @param constructs the App's constructs, for the objects declared external
   */
  public problems(constructs: IConstruct[]): ProblemReport[] {
    const { external, imported } = declarationsOf(constructs);
    const declared = constructs.length === 0 ? [] : Connection._inApp(constructs[0]).map(c => ({ scope: c as IConstruct, connection: c._declaration() }));
    const problems = [...this.found];
    this.checkNamespaces(problems, external);
    this.checkPodSecurity(problems);
    // A declared connection the policies refuse is reported as such, not again as a port that serves no one.
    this.checkServices(problems, new Set(declared.map(d => `${d.connection.to.namespace ?? 'default'}/${d.connection.to.name}`)));
    this.checkImportedWorkloads(problems, imported);
    this.checkReferences(problems, external);
    this.checkServicesByName(problems, declared, external);
    this.checkConnections(problems, declared);
    return problems;
  }

  /**
   * Namespaces written to that nothing creates: applying the App fails on
   * each of their objects. Reported once per namespace, on its first object.
   * An App that creates no Namespace at all leaves namespaces to whoever
   * applies it (`kubectl create namespace`, a deploy tool's CreateNamespace),
   * so only an App that creates some is held to create all it uses.
   */
  private checkNamespaces(problems: ProblemReport[], external: ExternalDeclaration[]): void {
    const created = this.index.namespaces.definedNames();
    if (created.length === 0) {
      return;
    }
    for (const { namespace, first, count } of this.index.writtenNamespaces()) {
      if (this.index.namespaces.isDefined(namespace) || BUILT_IN_NAMESPACES.includes(namespace) || !isNamespaceName(namespace)
        || external.some(e => e.kind === ExternalKind.NAMESPACE && e.name === namespace)
        || followsFrom(first, ProblemCode.MISSING_REFERENCE, 'Namespace', namespace)) {
        continue;
      }
      const near = nearestName(namespace, created);
      const creates = created.length <= 5 ? created.join(', ') : `${created.slice(0, 5).join(', ')}, ...`;
      const declare = `ExternalObjects.namespace(scope, '${namespace}')`;
      problems.push(fmt(first, ProblemCode.MISSING_REFERENCE,
        `is written to namespace ${namespace}${count > 1 ? ` (with ${count - 1} other object${count > 2 ? 's' : ''})` : ''}, which the App does not create (it creates ${creates}) and no cluster has from the start, so applying it fails: namespaces "${namespace}" not found`,
        near !== undefined
          ? `write it to namespace ${near} if that is the one meant; else create ${namespace} in the App (an AppNamespace) or declare it created outside the App with ${declare}`
          : `create namespace ${namespace} in the App (an AppNamespace), or declare it created outside the App with ${declare}`));
    }
  }

  /**
   * Workloads in a namespace of the App that enforces a Pod Security level
   * (`pod-security.kubernetes.io/enforce`) their pods break: admission refuses
   * the pods, so a controller's pods are never made and it never runs.
   */
  private checkPodSecurity(problems: ProblemReport[]): void {
    const namespaces = this.index.namespaces;
    for (const w of this.index.workloads) {
      if (!namespaces.isDefined(w.namespace)) {
        continue;
      }
      const level = enforcedLevelOf(namespaces.of(w.namespace));
      if (level === undefined || level === 'privileged') {
        continue;
      }
      const judged = w.podSecurity();
      const broken = judged[level];
      if (broken.length === 0 || followsFrom(w.owner, ProblemCode.POD_SECURITY)) {
        continue;
      }
      const admitting = level === 'restricted' && judged.baseline.length === 0 ? 'baseline' : 'privileged';
      const fixes = [...new Set(broken.map(fixOfPodSecurity))];
      problems.push(fmt(w.owner, ProblemCode.POD_SECURITY,
        `breaks the Pod Security level "${level}" that namespace ${w.namespace} enforces, so ${w.kind === 'Pod' ? 'it is refused at admission' : 'its pods are refused at admission and it never runs'}: ${broken.map(v => `${v.reason} (${v.detail})`).join('; ')}`,
        `${fixes.join('; ')}; or enforce ${admitting} in namespace ${w.namespace}`));
    }
  }

  /**
   * Workloads imported with `Workload.fromAttributes` whose pods the App
   * makes: their podSelector must match a pod template of their namespace,
   * or the policies and connections that use them act on no pod.
   */
  private checkImportedWorkloads(problems: ProblemReport[], imported: Array<{ construct: IConstruct; workload: ImportedWorkloadDeclaration }>): void {
    for (const { construct, workload } of imported) {
      const selector = workload.podSelector;
      if (workload.external || Object.keys(selector).length === 0) {
        continue; // an empty selector is the construct's own problem
      }
      const ns = workload.namespace ?? 'default';
      const pods = this.index.inNamespace(ns);
      if (pods.some(w => matchesLabels(selector, w.labels))) {
        continue;
      }
      const elsewhere = [...new Set(this.index.workloads.filter(w => matchesLabels(selector, w.labels)).map(w => w.namespace))];
      const near = pods.map(w => `${w.kind} ${w.name} (${show(w.labels)})`).join('; ');
      const external = 'if its pods are made outside the App, import it with external: true';
      problems.push(at(construct.node.path, ProblemCode.SELECTOR_MATCHES_NOTHING,
        `imported workload ${ns}/${workload.name}: podSelector ${show(selector)} matches no pod template in namespace ${ns}, so the policies and connections that use it act on no pod`,
        elsewhere.length > 0 ? `the matching pods are in ${elsewhere.join(', ')}: set its namespace to where its pods run; or, ${external}`
          : near ? `make podSelector match the pod labels of one of: ${near}; or, ${external}` : `add its workload to namespace ${ns} of the App; or, ${external}`));
    }
  }

  /** Services: node ports, selectors, target ports. */
  private checkServices(problems: ProblemReport[], connectedTo: ReadonlySet<string>): void {
    const index = this.index;
    const nodePorts = new NodePortClaims<Obj>(this.nodePortRange);
    for (const service of index.services) {
      const { owner: svc, selector, ports } = service;
      for (const p of ports) {
        if (p.nodePort === undefined) {
          continue;
        }
        const claim = nodePorts.claim(p.nodePort, svc, p.protocol);
        if (claim?.problem === 'out-of-range' && !followsFrom(svc, ProblemCode.NODE_PORT)) {
          const { first, last } = claim.range;
          problems.push(fmt(svc, ProblemCode.NODE_PORT, `node port ${p.nodePort} is outside the node port range ${claim.range}`, `choose a node port from ${first} to ${last}, or omit it to let Kubernetes pick one`));
        } else if (claim?.problem === 'taken') {
          const other = claim.by;
          problems.push(fmt(svc, ProblemCode.NODE_PORT, `node port ${p.nodePort} is already used by Service ${other.namespace}/${other.name} (${other.path}); node ports are cluster-wide`,
            'give each Service its own node port, or omit it to let Kubernetes pick one'));
        } else if (claim?.problem === 'repeated') {
          problems.push(fmt(svc, ProblemCode.NODE_PORT, `node port ${p.nodePort} is given to two ${claim.protocol} ports of this Service`,
            'give each port its own node port (one node port serves one port per protocol), or omit it to let Kubernetes pick one'));
        }
      }
      if (selector === undefined) {
        continue; // no selector: endpoints are managed by hand or DNS, by design
      }
      const selected = index.selectedBy(service);
      if (selected.length === 0) {
        const near = index.inNamespace(svc.namespace).map(w => `${w.kind} ${w.name} (${show(w.labels)})`).join('; ');
        const elsewhere = [...new Set(index.workloads.filter(w => matchesLabels(selector, w.labels)).map(w => w.namespace))];
        problems.push(fmt(svc, ProblemCode.SELECTOR_MATCHES_NOTHING, `selector ${show(selector)} matches no pod template in namespace ${svc.namespace}, so the Service routes nowhere`,
          elsewhere.length > 0 ? `a Service only selects pods of its own namespace, and the matching pods are in ${elsewhere.join(', ')}: put the Service and the workload in one namespace`
            : near ? `make the selector match the pod labels of one of: ${near}` : `add a workload with pod labels ${show(selector)} to namespace ${svc.namespace}`));
        continue;
      }
      for (const p of ports) {
        // Resolved pod by pod, as the endpoints controller does: a pod it fails for gets no endpoint.
        const failing: Array<WorkloadEntry<Obj>> = [];
        let unreachable: ProblemReport | undefined;
        for (const w of selected) {
          const resolved = resolveTargetPort(p, w.ports);
          if (!resolved.ok) {
            failing.push(w);
            continue;
          }
          // A port the policies let nobody reach serves no one: legal, but almost surely a mistake.
          const closing = unreachable !== undefined || connectedTo.has(`${w.namespace}/${w.name}`) ? [] : this.index.policies.closingPort(w, { number: resolved.number, protocol: p.protocol });
          if (closing.length > 0) {
            const { named, select } = namePolicies(closing);
            const entry = p.nodePort === undefined ? `port ${p.port}` : `port ${p.port} (node port ${p.nodePort})`;
            unreachable = placed(svc.path, {
              code: ProblemCode.UNREACHABLE_PORT,
              severity: ProblemSeverity.WARNING,
              problem: `Service ${svc.namespace}/${svc.name}: ${entry} forwards to ${w.kind} ${w.name} on ${resolved.number}/${p.protocol}, but ${named} ${select} its pods and no ingress rule admits anyone on that port, so the port serves no one`,
              fix: `declare the clients with connectTo(${w.name}) (an IngressPolicy without clients then admits them), or for a public front end use IngressPolicy fromAnywhere`,
            });
          }
        }
        if (unreachable !== undefined) {
          problems.push(unreachable);
        }
        if (failing.length > 0 && !followsFrom(svc, ProblemCode.UNDECLARED_PORT)) {
          const target = p.targetPort;
          const list = failing.flatMap(w => w.ports).filter(cp => cp.protocol === p.protocol).map(cp => `${cp.name ?? '-'} (${cp.number})`).join(', ') || 'none';
          problems.push(fmt(svc, ProblemCode.UNDECLARED_PORT, `port ${p.port} targets ${typeof target === 'number' ? 'container port' : 'the port named'} ${target}/${p.protocol}, which no selected container (${failing.map(w => w.name).join(', ')}) declares`,
            `set targetPort to one of the declared ports: ${list}`));
        }
      }
    }
  }

  /** References to Secrets and ConfigMaps. */
  private checkReferences(problems: ProblemReport[], external: ExternalDeclaration[]): void {
    for (const { owner, references } of this.index.workloads) {
      for (const ref of references) {
        const { kind, name } = ref;
        let keys: ReadonlySet<string> | null | undefined = this.index.keysOf(kind, owner.namespace, name);
        if (keys === undefined) {
          const e = external.find(x => x.kind === kind && x.name === name && (x.namespace === undefined || x.namespace === owner.namespace));
          keys = e === undefined ? undefined : e.keys ? new Set(e.keys) : null;
        }
        const problem = referenceProblem(ref, keys);
        if (problem?.missing === 'object' && !followsFrom(owner, ProblemCode.MISSING_REFERENCE, kind, name)) {
          // Declared outside the App, but for another namespace: a pod reads only its own namespace's.
          const elsewhere = external.filter(x => x.kind === kind && x.name === name && x.namespace !== undefined).map(x => x.namespace);
          const factory = `ExternalObjects.${FACTORIES[kind]}`;
          problems.push(fmt(owner, ProblemCode.MISSING_REFERENCE, `${whereOf(ref.source)} refers to ${kind} ${name}, which the App does not define in namespace ${owner.namespace}${elsewhere.length > 0 ? ` (it is declared outside the App in namespace ${elsewhere.join(', ')}, and a pod reads only its own namespace's)` : ''}`,
            elsewhere.length > 0
              ? `provide the ${kind} in namespace ${owner.namespace} too and declare it there with ${factory}(scope, '${name}', { namespace: '${owner.namespace}' })`
              : `define the ${kind}, fix the name, or declare it provided outside the App with ${factory}(scope, '${name}')`));
        } else if (problem?.missing === 'keys') {
          for (const key of problem.keys) {
            problems.push(fmt(owner, ProblemCode.MISSING_REFERENCE, `${whereOf(ref.source)} refers to key "${key}" of ${kind} ${name}, which has only: ${[...(keys ?? [])].join(', ') || 'no keys'}`,
              'use one of those keys, or add the key to the object'));
          }
        }
      }
    }
  }

  /** The Service a declared connection reaches its target through, by name: it must exist in the target's namespace. */
  private checkServicesByName(problems: ProblemReport[], declared: Array<{ scope: IConstruct; connection: ConnectionDeclaration }>, external: ExternalDeclaration[]): void {
    for (const { scope, connection: { from, to } } of declared) {
      const service = to.serviceName;
      if (service === undefined) {
        continue;
      }
      const ns = to.namespace ?? 'default';
      const exists = this.index.hasService(ns, service)
        || external.some(e => e.kind === 'Service' && e.name === service && (e.namespace === undefined || e.namespace === ns));
      if (!exists && Problems._causeOf(scope, ProblemCode.MISSING_REFERENCE, 'Service', ns, service) === undefined) {
        problems.push(at(scope.node.path, ProblemCode.MISSING_REFERENCE, `${from.name} reaches ${to.name} through the Service "${service}", but no Service "${service}" exists in namespace ${ns}`,
          `add a Service named exactly "${service}" to namespace ${ns} (for an outside host, an ExternalNameService), or ExternalObjects.service(scope, '${service}')`));
      }
    }
  }

  /**
   * Declared connections: the NetworkPolicies in force must admit each one, on
   * each of its ports: the target's ingress policies, the client's egress
   * policies, and these must also let the client ask the cluster's DNS for the
   * target's Service name. A rule that may admit on facts the manifests do not
   * hold (pod addresses, labels of namespaces they do not define) is given the
   * benefit of the doubt.
   */
  private checkConnections(problems: ProblemReport[], declared: Array<{ scope: IConstruct; connection: ConnectionDeclaration }>): void {
    const workloads = declared.length === 0 ? new RenderedWorkloads([]) : new RenderedWorkloads(this.index.workloads);
    const policies = this.index.policies;
    const dns = this.clusterDns;
    const dnsPods: PodRef = { namespace: dns.namespace, labels: dns.podLabels, ports: dns.ports.map(p => ({ container: 'dns', name: p.name, number: p.number, protocol: p.protocol })) };
    const dnsPort = dns.ports.find(p => p.protocol === PortProtocol.UDP)!;
    // A client that cannot reach DNS is reported once, naming every target it resolves.
    const withoutDns = new Map<Obj | IConstruct, { scope: IConstruct; client: string; targets: string[]; policies: readonly NetworkPolicy[] }>();
    const blocked = (v: PolicyVerdict) => v.verdict === 'refused';
    for (const { scope, connection: { from, to, ports } } of declared) {
      const fromNs = from.namespace ?? 'default';
      const toNs = to.namespace ?? 'default';
      // An end rendered in the App is seen with all the labels of its pods, as the policies see them, not only its selector's.
      const client = this.renderedWorkload(from, fromNs, workloads);
      const server = this.renderedWorkload(to, toNs, workloads);
      const source: PodRef = { namespace: fromNs, labels: client?.labels ?? from.podLabels };
      const target: PodRef = { namespace: toNs, labels: server?.labels ?? to.podLabels, ports: ports.map(p => ({ container: to.name, ...p })) };
      const clientText = `${client?.kind ?? 'workload'} ${fromNs}/${from.name}`;
      const serverText = `${server?.kind ?? 'workload'} ${toNs}/${to.name}`;
      const dnsVerdict = policies.egressVerdict(source, dnsPods, dnsPort);
      if (blocked(dnsVerdict)) {
        const key = client?.owner ?? from.construct;
        const entry = withoutDns.get(key) ?? { scope, client: clientText, targets: [], policies: dnsVerdict.policies };
        if (!entry.targets.includes(serverText)) {
          entry.targets.push(serverText);
        }
        withoutDns.set(key, entry);
      }
      for (const p of ports) {
        const on = `${p.number}/${p.protocol}`;
        const report = (problem: string, fix: string) => problems.push(at(scope.node.path, ProblemCode.CONNECTION_NOT_ADMITTED,
          `${clientText}: connects to ${serverText} on port ${p.name} (${on}), but ${problem}`, fix));
        // The model's one verdict on the connection, the diagram's too; each side is reported with its own fix.
        const { ingress, egress } = policies.connectionVerdict(source, target, p);
        if (blocked(ingress)) {
          const { named, select } = namePolicies(ingress.policies);
          report(`${named} ${select} the target's pods and no ingress rule admits ${from.name} on that port`,
            `add ${from.name}'s pods (${show(from.podLabels)}${fromNs === toNs ? '' : ` in namespace ${fromNs}`}) to the from of ${oneOf(named, ingress.policies)} on port ${on}; where an IngressPolicy made it, leave out its clients (it then admits the connections declared to its target) and list this port in its ports`);
        }
        if (blocked(egress)) {
          const { named, select } = namePolicies(egress.policies);
          report(`${named} ${select} the client's pods for egress and no egress rule admits ${to.name} on that port`,
            `add ${to.name}'s pods (${show(to.podLabels)}${fromNs === toNs ? '' : ` in namespace ${toNs}`}) to the to of ${oneOf(named, egress.policies)} on port ${on}`);
        }
      }
    }
    for (const { scope, client, targets, policies: egress } of withoutDns.values()) {
      const { named, select } = namePolicies(egress);
      problems.push(at(scope.node.path, ProblemCode.CONNECTION_NOT_ADMITTED,
        `${client}: connects to ${targets.join(' and ')} by Service name, but ${named} ${select} the client's pods for egress and no egress rule admits the cluster DNS (${dns}) on port ${dnsPort.number}/UDP, so no name can be resolved`,
        `add to ${oneOf(named, egress)} an egress rule to the DNS pods on ports ${dns.ports.map(p => `${p.number}/${p.protocol}`).join(' and ')}, with namespaceSelector and podSelector in one entry of its to (as two entries they admit either); for a cluster that runs DNS otherwise, ClusterDns.configure`));
    }
  }

  /**
   * The workload an end's construct renders in the App, if it renders one:
   * among the workloads under it, the one of the end's name and namespace whose
   * pods carry the end's labels (a construct may render a Job beside its Deployment).
   */
  private renderedWorkload(end: ConnectionEnd, namespace: string, workloads: RenderedWorkloads): WorkloadEntry<Obj> | undefined {
    const own = this.objectOf.get(end.construct);
    const carries = (w: WorkloadEntry<Obj> | undefined): w is WorkloadEntry<Obj> => w !== undefined && w.namespace === namespace && matchesLabels(end.podLabels, w.labels);
    // Most often the workload is a child of the end's construct (a Microservice's Deployment):
    // two objects of one name and namespace would be a duplicate, so it is the one.
    const child = own ? undefined : workloads.childrenOf(end.construct).find(w => carries(w) && w.name === end.name);
    if (child) {
      return child;
    }
    const candidates = own ? [own] : end.construct.node.findAll().map(x => this.objectOf.get(x));
    const carrying = candidates.map(o => o && workloads.of(o)).filter(carries);
    // A workload imported by its attributes renders nothing of its own; its objects may still be in the App.
    return carrying.find(w => w.name === end.name) ?? carrying[0]
      ?? this.index.inNamespace(namespace).find(w => w.name === end.name && matchesLabels(end.podLabels, w.labels));
  }
}

/** The workloads rendered in the App, by the object each is and by the construct the object is a child of. */
class RenderedWorkloads {
  private readonly byObject = new Map<Obj, WorkloadEntry<Obj>>();
  private readonly byParent = new Map<IConstruct, Array<WorkloadEntry<Obj>>>();

  constructor(workloads: ReadonlyArray<WorkloadEntry<Obj>>) {
    for (const w of workloads) {
      this.byObject.set(w.owner, w);
      const parent = w.owner.construct.node.scope;
      if (parent !== undefined) {
        const siblings = this.byParent.get(parent);
        if (siblings === undefined) {
          this.byParent.set(parent, [w]);
        } else {
          siblings.push(w);
        }
      }
    }
  }

  public of(o: Obj): WorkloadEntry<Obj> | undefined {
    return this.byObject.get(o);
  }

  /** The workloads that are children of `construct`, in the order they were rendered. */
  public childrenOf(construct: IConstruct): ReadonlyArray<WorkloadEntry<Obj>> {
    return this.byParent.get(construct) ?? [];
  }
}

/** The label keys and values Kubernetes refuses on an object or its pod template. */
function checkLabels(problems: ProblemReport[], o: Obj, labels: Json): void {
  for (const k of Object.keys(labels ?? {})) {
    const v = labels[k];
    if (!isLabelKey(k)) {
      problems.push(fmt(o, ProblemCode.INVALID_NAME, `label key "${k}" is not valid`, 'use an optional DNS prefix and "/" followed by at most 63 letters, digits, "-", "_" or "."'));
    }
    if (!isLabelValue(v)) {
      problems.push(fmt(o, ProblemCode.INVALID_NAME, `label ${k}="${v}" is not a valid label value`, 'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit'));
    }
  }
}

/** `NetworkPolicy ns/a`, or `one of NetworkPolicies ns/a, ns/b`: any one of them admitting is enough. */
function oneOf(named: string, policies: readonly NetworkPolicy[]): string {
  return policies.length === 1 ? named : `one of ${named}`;
}

/** `NetworkPolicy ns/a` or `NetworkPolicies ns/a, ns/b`, with the verb that agrees. */
function namePolicies(policies: readonly NetworkPolicy[]): { named: string; select: string } {
  const names = policies.map(x => `${x.namespace}/${x.name}`).join(', ');
  return policies.length === 1 ? { named: `NetworkPolicy ${names}`, select: 'selects' } : { named: `NetworkPolicies ${names}`, select: 'select' };
}

/**
 * The API objects of a chart in construct tree order, without those of charts nested in it (they
 * write their own file), and whether any of its constructs has dependencies: one walk for both.
 */
function ownObjects(chart: Chart): { objects: ApiObject[]; dependencies: boolean } {
  const objects: ApiObject[] = [];
  let dependencies = false;
  const visit = (c: IConstruct) => {
    const node = c.node;
    if (ApiObject.isApiObject(c)) {
      objects.push(c);
    }
    dependencies ||= node.dependencies.length > 0;
    for (const child of node.children) {
      if (!Chart.isChart(child)) {
        visit(child);
      }
    }
  };
  visit(chart);
  return { objects, dependencies };
}

/** Every problem of the wiring of the App `root` belongs to, rendered afresh: the App-wide checks, as a stock synth runs them. @internal */
export function appWideProblems(root: IConstruct, constructs: IConstruct[] = root.node.findAll()): ProblemReport[] {
  // Each object is rendered, checked and dropped: the checks keep a few fields of it, not its manifest.
  const checks = new WiringChecks({ nodePortRange: NodePortRange.forScope(root), clusterDns: ClusterDns.forScope(root) });
  const prepare = preparingDependencies(root);
  for (const chart of constructs.filter(Chart.isChart)) {
    objectsInOrder(chart, prepare).forEach(o => checks.add(o, o.toJson()));
  }
  return checks.problems(constructs);
}

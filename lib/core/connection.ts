import { Construct, IConstruct } from 'constructs';
import { ContainerPort, includesPort } from './container-port';
import { ConnectionDeclaration, ConnectionEnd } from './declarations';
import { deriveIngressPolicy } from './ingress-policy';
import { Problems } from './problems';
import { ProblemCode } from './problem-code';
import { IWorkload } from './workload';

/** Options of a connection made with {@link Microservice.connectTo}. */
export interface ConnectionOptions {
  /**
   * The target's ports the client connects to.
   * @default - every port of the target
   */
  readonly ports?: ContainerPort[];
}

/** Props of {@link Connection}. */
export interface ConnectionProps extends ConnectionOptions {
  /** The workload whose pods open the connections. */
  readonly client: IWorkload;
  /** The workload whose pods accept them. */
  readonly server: IWorkload;
}

// The one store of the connections of each App, in the order they were made (synth's checks read
// it), indexed by server (the policies derived from them read that).
const store = new WeakMap<IConstruct, { all: Connection[]; byServer: Map<IWorkload, Connection[]> }>();

/**
 * The statement that the pods of one workload connect to the pods of
 * another. It writes no object: each {@link IngressPolicy} without an
 * explicit `clients` admits exactly the connections declared to its target,
 * on the ports it allows, and synth checks that the policies in force admit
 * every declared connection, across namespaces, and that the client can
 * reach the target's Service by its name.
 */
export class Connection extends Construct {
  /** The connections declared to `workload` so far, in the order they were made. */
  public static declaredTo(workload: IWorkload): Connection[] {
    return [...(store.get(workload.node.root)?.byServer.get(workload) ?? [])];
  }

  /** Every connection declared in the App of `scope`, in the order they were made. @internal */
  public static _inApp(scope: IConstruct): Connection[] {
    return [...(store.get(scope.node.root)?.all ?? [])];
  }

  /** The workload whose pods open the connections. */
  public readonly client: IWorkload;
  /** The workload whose pods accept them. */
  public readonly server: IWorkload;
  /** The server's ports the client connects to. */
  public readonly ports: ContainerPort[];

  constructor(scope: Construct, id: string, props: ConnectionProps) {
    super(scope, id);
    this.client = props.client;
    this.server = props.server;
    this.ports = [...(props.ports ?? props.server.ports)];
    const found = Problems.of(this);
    found._adoptAll(props.ports ?? []);
    // With no port to name, the derived policy could only admit the client on every port.
    // Messages are built only for a failed check: a fleet makes thousands of connections.
    const hasPorts = props.server.ports.length > 0;
    if (!hasPorts) {
      found.report(ProblemCode.MISSING_SETTING, `connects to ${props.server.name}, which declares no ports`,
        `declare the ports ${props.server.name} listens on (ports of the Microservice, or of Workload.fromAttributes)`);
    }
    for (const port of hasPorts ? this.ports : []) {
      if (!includesPort(props.server.ports, port)) {
        found.report(ProblemCode.UNDECLARED_PORT, `port ${port.name} (${port.number}) is not a port of ${props.server.name}`,
          `use one of: ${props.server.ports.map(p => `${p.name} (${p.number})`).join(', ')}`);
      }
    }
    const root = this.node.root;
    const inApp = store.get(root) ?? { all: [], byServer: new Map<IWorkload, Connection[]>() };
    store.set(root, inApp);
    inApp.all.push(this);
    const toServer = inApp.byServer.get(props.server);
    if (toServer === undefined) {
      inApp.byServer.set(props.server, [this]);
    } else {
      toServer.push(this);
    }
    // The statement is enough: the server's ingress policy follows from it (see IngressPolicy).
    deriveIngressPolicy(props.server);
  }

  /** The connection as synth's checks see it, read when they run: its ends may change until synth. @internal */
  public _declaration(): ConnectionDeclaration {
    const end = (w: IWorkload): ConnectionEnd => ({ construct: w, name: w.name, namespace: w.namespace, podLabels: w.podSelector, serviceName: w.serviceName });
    return {
      from: end(this.client),
      to: end(this.server),
      // A port the server does not have is reported above, not again as a connection the policies refuse.
      ports: this.ports.filter(p => includesPort(this.server.ports, p)).map(p => ({ name: p.name, number: p.number, protocol: p.protocol })),
    };
  }
}

import { Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps } from './component';
import { WebFrontEnd } from './web-front-end';
import { Exposure, Microservice, ProblemCode, Problems } from '../core';

/** Props of {@link Result}. */
export interface ResultProps extends ComponentProps {
  /**
   * How viewers reach the results page.
   * @default Exposure.nodePort(8081, 31001), as upstream
   */
  readonly exposure?: Exposure;
  /**
   * Pin each client to one pod (`sessionAffinity: ClientIP`). socket.io needs
   * this to run more than one replica.
   * @default false
   */
  readonly stickySessions?: boolean;
}

/**
 * The results page (Node.js + socket.io): polls the `votes` table of
 * `postgres://postgres:postgres@db/postgres`, hard-coded in the image.
 */
export class Result extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'dockersamples/examplevotingapp_result:latest';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(96), limit: Size.mebibytes(192) } };

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: ResultProps = {}) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    // Reported by synth with every other problem; the manifests are then not written.
    Problems.of(this).check(replicas <= 1 || props.stickySessions === true,
      ProblemCode.CONFLICTING_SETTINGS, `result asks for ${replicas} replicas without sticky sessions; socket.io then drops its connections`,
      'keep replicas at 1, or set resultStickySessions: true');
    // Object.assign rather than a spread (see microserviceProps).
    this.workload = new WebFrontEnd(this, 'FrontEnd', Object.assign({}, props, {
      name: 'result',
      replicas,
      image: props.image ?? Result.DEFAULT_IMAGE,
      stockImage: props.image === undefined,
      exposure: props.exposure ?? Exposure.nodePort(8081, 31001),
      resources: props.resources ?? Result.DEFAULT_RESOURCES,
    })).workload;
  }
}

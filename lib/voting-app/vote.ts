import { Size } from 'cdk8s';
import { ContainerResources, Cpu, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps } from './component';
import { WebFrontEnd } from './web-front-end';
import { Exposure, Microservice } from '../core';

/** The two choices on the ballot. */
export interface BallotOptions {
  /** The first choice (`OPTION_A`), e.g. `Tabs`. */
  readonly optionA: string;
  /** The second choice (`OPTION_B`), e.g. `Spaces`. */
  readonly optionB: string;
}

/** Props of {@link Vote}. */
export interface VoteProps extends ComponentProps {
  /**
   * How voters reach the page.
   * @default Exposure.nodePort(8080, 31000), as upstream
   */
  readonly exposure?: Exposure;
  /**
   * The two choices on the ballot (`OPTION_A`, `OPTION_B`).
   * @default - the image's own: Cats and Dogs
   */
  readonly options?: BallotOptions;
}

/**
 * The voting page (Python/Flask): pushes each vote onto the redis list
 * `votes`, at the host name `redis` hard-coded in the image.
 */
export class Vote extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'dockersamples/examplevotingapp_vote:latest';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(96), limit: Size.mebibytes(192) } };

  /** The Deployment and Service. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: VoteProps = {}) {
    super(scope, id);
    // Object.assign rather than a spread (see microserviceProps).
    this.workload = new WebFrontEnd(this, 'FrontEnd', Object.assign({}, props, {
      name: 'vote',
      image: props.image ?? Vote.DEFAULT_IMAGE,
      stockImage: props.image === undefined,
      exposure: props.exposure ?? Exposure.nodePort(8080, 31000),
      resources: props.resources ?? Vote.DEFAULT_RESOURCES,
      env: {
        // gunicorn 25.1 and newer opens a control socket under $XDG_RUNTIME_DIR, else under $HOME
        // (/root, on the read-only root): /tmp is the container's writable emptyDir.
        XDG_RUNTIME_DIR: EnvValue.fromValue('/tmp'),
        ...(props.options ? { OPTION_A: EnvValue.fromValue(props.options.optionA), OPTION_B: EnvValue.fromValue(props.options.optionB) } : {}),
      },
    })).workload;
  }
}

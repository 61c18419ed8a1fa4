import { Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentProps, componentWorkload, microserviceProps } from './component';
import { Microservice, Volume } from '../core';

/**
 * The worker (.NET): moves votes from the redis list `votes` into the
 * postgres table `votes`, at the hosts `redis` and `db` hard-coded in the image.
 *
 * It has no Service (it listens on nothing) and no probes: it serves no port
 * and its image has no health command, so any probe would be a fake one.
 */
export class Worker extends Construct {
  /** The image used unless `image` is given. */
  public static readonly DEFAULT_IMAGE = 'dockersamples/examplevotingapp_worker:latest';
  /** The resources used unless `resources` is given. */
  public static readonly DEFAULT_RESOURCES: ContainerResources = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } };

  /** The Deployment. */
  public readonly workload: Microservice;

  constructor(scope: Construct, id: string, props: ComponentProps = {}) {
    super(scope, id);
    this.workload = new Microservice(this, 'Workload', microserviceProps(componentWorkload(props, 'worker', 'worker', { image: Worker.DEFAULT_IMAGE, resources: Worker.DEFAULT_RESOURCES }), {
      service: false,
      // The image runs dotnet as root; its runtime files (diagnostics socket) go to /tmp.
      volumes: [{ path: '/tmp', volume: Volume.emptyDir('tmp', { sizeLimit: Size.mebibytes(64) }) }],
    }));
  }
}

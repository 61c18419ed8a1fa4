import { App, Chart } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-28';
import { ContainerPort, Microservice, NodePortRange } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { messagesOf } from '../support/problems';

describe('NodePortRange', () => {
  const nodePortService = (chart: Chart, nodePort: number) => {
    const http = ContainerPort.tcp('http', 80);
    return new Microservice(chart, 'web', { image: 'nginx:1.27', ports: [http], service: { type: ServiceType.NODE_PORT, ports: [{ port: 80, target: http, nodePort }] } });
  };

  test('GIVEN nothing configured THEN the API server default, 30000-32767', () => {
    const app = new App();
    expect(NodePortRange.forScope(app).toString()).toBe('30000-32767');
    nodePortService(new Chart(app, 'c'), 29999);
    expect(messagesOf(validateApp(app))).toEqual(['[c/web] CVA204 node port must be an integer from 30000 to 32767, got 29999. Fix: set node port to an integer from 30000 to 32767']);
  });

  test('GIVEN a cluster that changed it THEN Services are checked against that range', () => {
    const app = new App();
    NodePortRange.configure(app, NodePortRange.of(20000, 22767));
    nodePortService(new Chart(app, 'c'), 20080);
    expect(messagesOf(validateApp(app))).toEqual([]);
  });

  test('GIVEN an empty range THEN the App reports it; a range set after charts were added is refused', () => {
    const empty = new App();
    NodePortRange.configure(empty, NodePortRange.of(31000, 30000));
    expect(messagesOf(validateApp(empty))).toEqual(['[<root>] CVA102 the NodePortRange 31000-30000 is empty. Fix: give the lower port first']);
    const app = new App();
    new Chart(app, 'c');
    expect(() => NodePortRange.configure(app, NodePortRange.of(20000, 22767))).toThrow(/Cannot set context after children have been added/);
  });
});

import { App } from 'cdk8s';
import { formatProblem, ProblemReport } from '../../lib/core/problem';
import { validateApp } from '../../lib/synth/synthesizer';

/** Problems in their one text form, `[path] CODE problem. Fix: fix`: what a test compares whole messages with. */
export function messagesOf(problems: readonly ProblemReport[]): string[] {
  return problems.map(formatProblem);
}

/** Every problem synth finds in `app`, as messages. */
export function messages(app: App): string[] {
  return messagesOf(validateApp(app));
}

/** The codes of every problem synth finds in `app` (warnings too), in order: what a corpus app expects. */
export function codesOf(app: App): string[] {
  return validateApp(app).map(p => p.code);
}

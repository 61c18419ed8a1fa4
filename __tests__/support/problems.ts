import { App } from 'cdk8s';
import { formatProblem, Problem } from '../../lib/core/problem';
import { validateApp } from '../../lib/synth/synthesizer';

/** Problems in their one text form, `[path] CODE problem. Fix: fix`: what a test compares whole messages with. */
export function messagesOf(problems: readonly Problem[]): string[] {
  return problems.map(formatProblem);
}

/** Every problem synth finds in `app`, as messages. */
export function messages(app: App): string[] {
  return messagesOf(validateApp(app));
}

/** The code of every problem synth finds in `app`, in order: what a corpus app names. */
export function codesOf(app: App): string[] {
  return validateApp(app).map(p => p.code);
}

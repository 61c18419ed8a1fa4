// The names and labels the API server accepts: written once, in
// lib/core/rules/names, and named here so that the model's users (synth's
// checks, the diagram, the tests) find them with the rest of the rules.
export { isLabelKey, isLabelValue, isNamespaceName, isValidName, type NameRule, nameRuleOf } from '../rules/names';

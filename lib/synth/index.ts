// Synthesis: writing an App's charts all or nothing, after checking its wiring.
export { type SynthesizeOptions, Synthesizer } from './synthesizer';

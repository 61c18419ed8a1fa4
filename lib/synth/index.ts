// Synthesis: writing an App's charts all or nothing, after checking its wiring.
export { outputFile, runSynth, SynthesisError, synthesize, type SynthesizeOptions, validateApp } from './synthesizer';

/** The binary of a WAT source with the SIMD feature on. */
export function assembleLineIndex(wat: string): Promise<Buffer>;
/** The generated TypeScript module for the bytes. */
export function wasmModuleSource(bytes: Buffer): string;

/** The types of precompress-web.mjs (plain JavaScript: the build runs it with node alone). */
export declare const COMPRESSIBLE: RegExp

export interface PrecompressedFile {
  /** Relative to the folder compressed. */
  file: string
  raw: number
  br: number
  gzip: number
}

export declare function precompress(
  dir: string,
  options?: { critical?: (path: string) => boolean },
): Promise<PrecompressedFile[]>

// The `edtf` package ships no type declarations; Vigil uses only its parser.
declare module 'edtf' {
  export function parse(input: string, options?: { level?: number; types?: string[] }): unknown;
}

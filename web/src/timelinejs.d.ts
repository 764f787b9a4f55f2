// TimelineJS ships its ES module source without types; this is the part Vigil uses.
declare module '@knight-lab/timelinejs/src/js/timeline/Timeline' {
  export class Timeline {
    constructor(container: HTMLElement | string, data: unknown, options?: Record<string, unknown>);
    on(event: string, handler: (event: unknown) => void): this;
    goToId(id: string): void;
  }
}

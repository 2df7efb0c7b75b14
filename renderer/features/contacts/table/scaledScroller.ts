/**
 * Browsers cap an element's height (Chromium near 33.5 million px, Firefox lower), so a million
 * 40 px rows cannot be laid out at full height. The table's scroll area is therefore at most
 * MAX_SCROLL_PX tall, and this stand-in for the scroll element reports positions in "virtual"
 * pixels (every row at full height) to @tanstack/react-virtual, scaling them to and from the real
 * scrollTop. Below the cap the ratio is 1 and it is a transparent wrapper.
 *
 * The virtualizer only reads the members below (scrollTop, scrollHeight, clientHeight,
 * scrollTo, scroll listeners, ownerDocument, style), so that is all it forwards.
 */
export const MAX_SCROLL_PX = 16_000_000;

export class ScaledScroller {
  /** Full content height in virtual pixels (header + every row at its real height). */
  virtualHeight = 0;

  constructor(readonly el: HTMLElement) {}

  /** The height actually laid out. */
  get realHeight(): number {
    return Math.min(this.virtualHeight, MAX_SCROLL_PX);
  }

  /** Virtual px per real px of scrolling; maps the real scroll range exactly onto the virtual one. */
  get ratio(): number {
    const view = this.el.clientHeight;
    const real = this.realHeight - view;
    const virtual = this.virtualHeight - view;
    return real > 0 && virtual > real ? virtual / real : 1;
  }

  toReal(virtualOffset: number): number {
    return virtualOffset / this.ratio;
  }

  get ownerDocument() {
    return this.el.ownerDocument;
  }
  get style() {
    return this.el.style;
  }
  get clientHeight() {
    return this.el.clientHeight;
  }
  get clientWidth() {
    return this.el.clientWidth;
  }
  get scrollTop() {
    return this.el.scrollTop * this.ratio;
  }
  get scrollLeft() {
    return this.el.scrollLeft;
  }
  get scrollHeight() {
    return this.el.scrollHeight + (this.virtualHeight - this.realHeight);
  }
  get scrollWidth() {
    return this.el.scrollWidth;
  }
  scrollTo(opts: ScrollToOptions) {
    this.el.scrollTo({ ...opts, top: opts.top === undefined ? undefined : opts.top / this.ratio });
  }
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean) {
    this.el.addEventListener(type, listener, options);
  }
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions | boolean) {
    this.el.removeEventListener(type, listener, options);
  }
}

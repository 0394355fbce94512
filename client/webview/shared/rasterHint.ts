/**
 * When the graph's layer may keep its raster while the view moves (`will-change: transform`, the renderer's
 * `moving` class), and when that hint would cost more than it saves.
 *
 * Chromium keeps a `will-change: transform` layer's raster scale through a gesture, so the frames only move and scale
 * the tiles it has. But it never lets that raster scale fall below the page's native scale (1 CSS pixel to 1 device
 * pixel) unless the layer is scaled below a quarter of it (`MinimumRasterContentsScaleForWillChangeTransform` in
 * Chromium's cc/layers/picture_layer_impl.cc). So a graph drawn at zoom 0.3 that gets the hint is rasterised again
 * at zoom 1: about eleven times the panel's pixels, all at the first step of the gesture. On the generated 200-type
 * graph after Show all that stalled the first wheel step for 150-370 ms in headless Chromium on this project's 2-core
 * test machine. Without the hint, each zoom frame is rasterised at its own scale: the panel's pixels, never more.
 *
 * Nor does the raster scale fall when the view zooms out under the hint: the tiles the zoom-out brings into view are
 * rasterised at the gesture's starting scale, the larger the further it zooms out. The hint is dropped before that
 * costs four times the panel's pixels.
 */

/** A layer's native scale: one CSS pixel to one device pixel (the device's pixel ratio applies to both sides). */
const NATIVE_ZOOM = 1;
/** Zooming out under the hint past this factor from where the gesture started drops it. */
const MAX_ZOOM_OUT_UNDER_HINT = 2;

/**
 * `restZoom`: the zoom at which the drawing was last rasterised sharp (when the previous gesture paused); `zoom`:
 * the zoom of the frame about to be drawn.
 */
export function keepsRasterWhileMoving(restZoom: number, zoom: number): boolean {
  return restZoom >= NATIVE_ZOOM && zoom * MAX_ZOOM_OUT_UNDER_HINT >= restZoom;
}

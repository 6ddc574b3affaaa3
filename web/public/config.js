// Runtime configuration of the console, read at start-up; edit in place after a build.
// tileUrl: a map tile URL template (e.g. a Tianditu WMTS URL with your key). Empty = no tiles:
// grids are drawn as polygons on a plain background, and nothing is fetched from the internet.
window.GRIDGOV_CONFIG = {
  tileUrl: '',
  tileAttribution: '',
  tileSubdomains: '',
  refreshSeconds: 60,
}

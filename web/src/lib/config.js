// Runtime configuration (public/config.js, editable after the build) with defaults.
const c = (typeof window !== 'undefined' && window.GRIDGOV_CONFIG) || {}
export const config = {
  tileUrl: localStorage.getItem('gridgov.tileUrl') || c.tileUrl || '',
  tileAttribution: c.tileAttribution || '',
  tileSubdomains: c.tileSubdomains || '',
  refreshSeconds: Number(c.refreshSeconds) || 60,
}

// A picked photo made ready for POST /attachments: decoded by the browser (so HEIC/WebP from a
// phone camera work where the browser can show them), scaled to at most 1600 px, re-encoded as JPEG.
export async function preparePhoto(file, max = 1600) {
  const url = URL.createObjectURL(file)
  try {
    const img = await new Promise((res, rej) => { const i = new Image(); i.onload = () => res(i); i.onerror = rej; i.src = url })
    const k = Math.min(1, max / Math.max(img.naturalWidth, img.naturalHeight))
    if (k === 1 && (file.type === 'image/jpeg' || file.type === 'image/png') && file.size < 3 * 1024 * 1024) return { blob: file, type: file.type }
    const c = document.createElement('canvas')
    c.width = Math.round(img.naturalWidth * k)
    c.height = Math.round(img.naturalHeight * k)
    c.getContext('2d').drawImage(img, 0, 0, c.width, c.height)
    const blob = await new Promise((res) => c.toBlob(res, 'image/jpeg', 0.85))
    return { blob, type: 'image/jpeg' }
  } catch {
    return { blob: file, type: file.type || 'application/octet-stream' }
  } finally {
    URL.revokeObjectURL(url)
  }
}

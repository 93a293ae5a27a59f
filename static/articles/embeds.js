// Embeds in a story load only when the reader asks: each is a link to the
// original (which is all a reader without JavaScript gets) until a click
// swaps in the provider's player. Nothing is asked of a provider before.
// The players' addresses match PROVIDERS in articles/body.py, and the
// page's Content-Security-Policy frames only their hosts.

const FRAMES = {
  youtube: "https://www.youtube-nocookie.com/embed/{id}",
  vimeo: "https://player.vimeo.com/video/{id}?dnt=1",
  x: "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
  instagram: "https://www.instagram.com/p/{id}/embed/",
  facebook: "https://www.facebook.com/plugins/post.php?href={url}",
  tiktok: "https://www.tiktok.com/embed/v2/{id}",
  datawrapper: "https://datawrapper.dwcdn.net/{id}/",
  flourish: "https://flo.uri.sh/visualisation/{id}/embed",
  googlemaps: "https://www.google.com/maps/embed?pb={id}",
}
const SAFE_ID = /^[\w!.~%:/-]+$/

function player(figure, link) {
  const template = FRAMES[figure.dataset.embed]
  const id = figure.dataset.embedId || ""
  if (!template || !SAFE_ID.test(id)) return null
  const frame = document.createElement("iframe")
  frame.src = template
    .replace("{id}", id)
    .replace("{url}", encodeURIComponent(link.href))
  frame.title = link.textContent.replace(/^Show the /, "")
  frame.className = "embed-frame"
  frame.referrerPolicy = "strict-origin-when-cross-origin"
  frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media")
  frame.setAttribute(
    "sandbox",
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation",
  )
  return frame
}

for (const figure of document.querySelectorAll("figure.embed[data-embed]")) {
  const link = figure.querySelector("a.embed-load")
  if (!link) continue
  link.setAttribute("role", "button")
  link.addEventListener("click", (event) => {
    const frame = player(figure, link)
    if (!frame) return // the link takes the reader to the original
    event.preventDefault()
    link.replaceWith(frame)
    figure.classList.add("embed-loaded")
  })
}

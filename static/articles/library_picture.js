// The story editor's "Picture from library": a picture, or several as a
// gallery, chosen from the picture library with the admin's own search
// (its autocomplete for the lead picture), and stored in the body as a
// reference only: <figure data-picture="123"></figure> or
// <figure data-gallery="123,124"></figure>. The page fills in the picture,
// its caption and its credit from the library (articles/media/body.py); here
// the editor shows a thumbnail and the caption, from the same search.
// A plain module the editor loads by itself (DJANGO_PROSE_EDITOR_EXTENSIONS):
// no build step, no inline script or style.

import { Node, crel, gettext } from "django-prose-editor/editor"

const ID = /^[0-9]{1,18}$/
const GALLERY_MAX = 50 // as articles/models/picture_references.py

function idsOf(value, most) {
  const parts = (value || "").split(",")
  return parts.length <= most && parts.every((part) => ID.test(part)) ? parts : []
}

// The admin's autocomplete: what an editor who may change stories may search.
function search(term) {
  const query = new URLSearchParams({
    term,
    app_label: "articles",
    model_name: "article",
    field_name: "picture",
  })
  return fetch(`${adminRoot()}autocomplete/?${query}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : { results: [] }))
    .then((data) => data.results || [])
    .catch(() => [])
}

function adminRoot() {
  // /admin/articles/article/42/change/ -> /admin/
  const match = window.location.pathname.match(/^(.*?\/)articles\/article\//)
  return match ? match[1] : "/admin/"
}

const known = new Map() // id -> Promise of {id, text, thumbnail} or null

function describe(id) {
  if (!known.has(id)) {
    known.set(
      id,
      search(id).then((results) => results.find((r) => String(r.id) === id) || null),
    )
  }
  return known.get(id)
}

function thumbnail(id) {
  const item = crel("span", { className: "library-picture-item" })
  const label = crel("span", { textContent: gettext("Picture") + ` ${id}` })
  item.append(label)
  describe(id).then((found) => {
    if (!found) {
      label.textContent = gettext("Not in the library") + ` (${id})`
      item.classList.add("missing")
      return
    }
    if (found.thumbnail) {
      item.prepend(crel("img", { src: found.thumbnail, alt: "", width: 120 }))
    }
    label.textContent = found.text
  })
  return item
}

function fill(dom, node) {
  const { picture, gallery } = node.attrs
  const ids = picture ? [picture] : idsOf(gallery, GALLERY_MAX)
  const title = picture ? gettext("Picture from the library") : gettext("Gallery from the library")
  dom.replaceChildren(crel("span", { className: "library-picture-title", textContent: title }))
  for (const id of ids) dom.append(thumbnail(id))
}

// The dialog: search, click pictures to choose them (one: a picture; more: a gallery), insert.
function choose(editor) {
  const chosen = []
  const dialog = crel("dialog", { className: "library-picture-dialog" })
  const input = crel("input", {
    type: "search",
    placeholder: gettext("Caption, credit or source; or a picture's number"),
  })
  const results = crel("ul", { className: "library-picture-results" })
  const status = crel("p", { className: "help" })
  const insert = crel("button", { type: "button", textContent: gettext("Insert") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  dialog.append(
    crel("h2", { textContent: gettext("Picture from library") }),
    input,
    status,
    results,
    crel("p", {}, [insert, " ", cancel]),
  )

  const update = () => {
    status.textContent = chosen.length
      ? `${gettext("Chosen")}: ${chosen.length}${chosen.length > 1 ? ` (${gettext("a gallery")})` : ""}`
      : gettext("Click a picture to choose it; several make a gallery.")
    insert.disabled = !chosen.length
  }
  const show = (found) => {
    results.replaceChildren(
      ...found.map((result) => {
        const id = String(result.id)
        const button = crel("button", { type: "button", className: "library-picture-result" })
        if (result.thumbnail) button.append(crel("img", { src: result.thumbnail, alt: "", width: 120 }))
        button.append(crel("span", { textContent: result.text }))
        button.classList.toggle("chosen", chosen.includes(id))
        button.addEventListener("click", () => {
          const at = chosen.indexOf(id)
          if (at >= 0) chosen.splice(at, 1)
          else if (chosen.length < GALLERY_MAX) chosen.push(id)
          button.classList.toggle("chosen", chosen.includes(id))
          update()
        })
        return crel("li", {}, [button])
      }),
    )
  }
  let pending = 0
  const find = () => {
    const asked = ++pending
    search(input.value.trim()).then((found) => asked === pending && show(found))
  }
  let timer
  input.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(find, 250)
  })
  input.addEventListener("keydown", (event) => event.key === "Enter" && event.preventDefault())
  insert.addEventListener("click", () => {
    const attrs = chosen.length > 1 ? { gallery: chosen.join(",") } : { picture: chosen[0] }
    dialog.close()
    editor.chain().focus().insertContent({ type: "libraryPicture", attrs }).run()
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())

  document.body.append(dialog)
  update()
  find()
  dialog.showModal()
  input.focus()
}

export const LibraryPicture = Node.create({
  name: "libraryPicture",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    const attribute = (name, most) => ({
      default: null,
      parseHTML: (element) => idsOf(element.getAttribute(name), most).join(",") || null,
      renderHTML: (attributes) => {
        const value = attributes[name === "data-picture" ? "picture" : "gallery"]
        return value ? { [name]: value } : {}
      },
    })
    return { picture: attribute("data-picture", 1), gallery: attribute("data-gallery", GALLERY_MAX) }
  },

  parseHTML() {
    return [{ tag: "figure[data-picture]" }, { tag: "figure[data-gallery]" }]
  },

  renderHTML({ HTMLAttributes }) {
    // Nothing inside: the page takes the picture, caption and credit from the library.
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = crel("figure", { className: "library-picture", contentEditable: "false" })
      fill(dom, node)
      return {
        dom,
        update(updated) {
          if (updated.type !== node.type) return false
          fill(dom, updated)
          return true
        },
      }
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "libraryPicture",
      groups: "nodes",
      command: (editor) => choose(editor),
      button: buttons.material("photo_library", gettext("Picture from library")),
    })
  },
})
